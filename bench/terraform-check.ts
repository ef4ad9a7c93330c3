/**
 * The Terraform runs of the tests (__tests__/terraform.test.ts), alone: `terraform validate` and
 * `terraform plan` on every stack of the reference topology in both Istio modes, the modes at once and
 * two stacks of each at a time, as the test runs them. Prints the stacks and their planned resources.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdktf';
import { buildReferenceTopology } from '../examples/reference-topology';
import { IstioMode } from '../lib';
import { formatDiagnostics, terraformCheck } from '../__tests__/support/terraform';
import { DATA_SOURCE_READS } from '../__tests__/support/terraform/provider-server';

async function main(): Promise<void> {
  // As the test: the world after the README's certificate step.
  DATA_SOURCE_READS.set('azurerm_key_vault_certificates', { names: ['edge-tls', 'mesh-gateway'] });
  DATA_SOURCE_READS.set('azurerm_key_vault_secrets', { names: ['mesh-gateway-ca'] });
  const results = await Promise.all([IstioMode.AKS_ADDON, IstioMode.HELM].map(async (mode) => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'bench-tf-')), stackTraces: false });
    buildReferenceTopology(app, { istioMode: mode });
    const checks = await terraformCheck(app);
    fs.rmSync(app.outdir, { recursive: true, force: true });
    const problems = formatDiagnostics(checks);
    if (problems.length > 0) throw new Error(`Terraform reported:\n${problems.join('\n')}`);
    return checks.map((c) => `${mode}/${c.stack}: ${c.planned} to add`);
  }));
  console.log(results.flat().join('\n'));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
