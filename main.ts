// The main job: synthesize the reference topology into cdktf.out/. This is cdktf.json's app, which
// `cdktf synth` and `cdktf deploy` run; `npm run synth` also passes --diagram, to draw the topology from
// the construct tree into cdktf.out/topology.svg and cdktf.out/topology.drawio (a layout costs ~0.3 s,
// which a `cdktf deploy` need not pay).
import { App } from 'cdktf';
import { stateBackendFromEnv } from './examples/backend';
import { buildReferenceTopology, optionsFromContext } from './examples/reference-topology';
import { writeTopologyDiagrams } from './lib/diagram';

const app = new App();
buildReferenceTopology(app, { ...optionsFromContext(app), backend: stateBackendFromEnv() });
app.synth();
if (process.argv.includes('--diagram')) {
  writeTopologyDiagrams(app, app.outdir).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
