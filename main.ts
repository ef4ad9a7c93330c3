// The main job (`npm run synth`, and `cdktf synth` / `cdktf deploy` through cdktf.json): synthesize
// the reference topology into cdktf.out/, then draw it from the construct tree
// (cdktf.out/topology.svg and cdktf.out/topology.drawio).
import { App } from 'cdktf';
import { stateBackendFromEnv } from './examples/backend';
import { buildReferenceTopology, optionsFromContext } from './examples/reference-topology';
import { writeTopologyDiagrams } from './lib/diagram';

const app = new App();
buildReferenceTopology(app, { ...optionsFromContext(app), backend: stateBackendFromEnv() });
app.synth();
writeTopologyDiagrams(app, app.outdir).catch((error) => {
  console.error(error);
  process.exit(1);
});
