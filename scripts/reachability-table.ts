/**
 * Writes the README's reachability matrix (between its reachability markers): the NSG reachability
 * analysis of the reference topology, as `NetworkReachability.renderTable` renders it.
 *
 * Run: npx tsx scripts/reachability-table.ts
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdktf';
import { buildReferenceTopology } from '../examples/reference-topology';
import { NetworkReachability } from '../lib';

const app = new App();
buildReferenceTopology(app);
const table = NetworkReachability.renderTable(NetworkReachability.analyze(app));
const readme = path.resolve(__dirname, '..', 'README.md');
const before = fs.readFileSync(readme, 'utf8');
if (!/<!-- reachability:start -->\n[\s\S]*?<!-- reachability:end -->/.test(before)) throw new Error('README.md has no <!-- reachability:start --> / <!-- reachability:end --> markers');
fs.writeFileSync(readme, before.replace(/(<!-- reachability:start -->\n)[\s\S]*?(<!-- reachability:end -->)/, `$1${table}$2`));
console.log('wrote the reachability matrix into README.md');
