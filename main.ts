// The main job (`npm run synth`, and `cdktf synth` through cdktf.json): synthesize the
// reference topology into cdktf.out/.
import { App } from 'cdktf';
import { buildReferenceTopology } from './examples/reference-topology';

const app = new App();
buildReferenceTopology(app);
app.synth();
