import { cdktf, javascript } from 'projen';

// Versions our users asked for: cdktf 0.21 and the prebuilt providers that target
// azurerm 4.55.0, kubernetes 2.38.0 and helm 3.x (see ../shared/spec/topology.md).
// Peer ranges are caret ranges a fresh consumer resolves without npm warnings (the dev copies stay pinned
// to the minimum of each range, so the tests run against the oldest version we claim).
const CDKTF_VERSION = '^0.21.0';
const PROVIDERS = [
  '@cdktf/provider-azurerm@^14.23.1',
  '@cdktf/provider-kubernetes@^12.1.1',
  '@cdktf/provider-helm@^12.1.2',
  // time_sleep: waits for Azure RBAC propagation before what needs the role (hashicorp/time 0.13.x).
  '@cdktf/provider-time@^11.0.1',
];

const project = new cdktf.ConstructLibraryCdktf({
  name: 'cdktf-azure-gateway-mesh',
  description: 'CDK for Terraform constructs for a secure Azure path from the Internet to an Istio service mesh: WAF + Application Gateway, API Management, AKS with Istio.',
  author: 'azure-gateway-mesh maintainers',
  authorAddress: 'maintainers@users.noreply.example.com',
  repositoryUrl: 'https://github.com/example/cdktf-azure-gateway-mesh.git',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  projenVersion: '0.103.25',
  cdktfVersion: CDKTF_VERSION,
  constructsVersion: '^10.4.2',
  jsiiVersion: '~5.9.0',
  typescriptVersion: '~5.9.0',
  minNodeVersion: '20.0.0',

  // Layout: constructs in lib/, tests in __tests__/, compiled output outside lib/.
  srcdir: 'lib',
  libdir: 'build',
  entrypoint: 'build/index.js',
  testdir: '__tests__',

  peerDeps: PROVIDERS,
  // Plain npm libraries used inside the constructs are bundled: jsii accepts only jsii modules as dependencies.
  bundledDeps: ['ipaddr.js@^2.2.0', 'elkjs@^0.12.1', 'fast-xml-parser@^5.3.0'],
  devDeps: [
    'tsx@^4.20.0',
    'esbuild@^0.28.0',
    'fast-check@^4.3.0',
    'ajv@^8.17.1',
    'yaml@^2.8.0',
    // The Prometheus project's own PromQL grammar: the tests parse every rule expression with it.
    '@prometheus-io/lezer-promql@^0.315.0',
    '@lezer/lr@^1.4.0',
    '@lezer/highlight@^1.2.0',
    // The Terraform test harness (__tests__/support/terraform.ts): provider plugins over tfplugin6 gRPC.
    '@grpc/grpc-js@^1.14.0',
    'protobufjs@^7.5.0',
    '@msgpack/msgpack@^3.1.0',
  ],
  keywords: ['cdktf', 'azure', 'istio', 'aks', 'api-management', 'application-gateway', 'waf', 'service-mesh'],

  // CI is .ci/run; no GitHub workflows, release or mergify files to keep in sync.
  github: false,
  release: false,
  docgen: true,
  jestOptions: {
    // Snapshots guard Terraform addresses: CI must compare them, never rewrite them.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    // A broken test match must fail CI, not pass it with no tests.
    passWithNoTests: false,
    jestConfig: {
      collectCoverage: false,
      // Jest's default (cores - 1) is one worker on this 2-core machine; two finish the suite ~40% sooner.
      maxWorkers: 2,
      testTimeout: 60_000,
      testPathIgnorePatterns: ['/node_modules/', '/dist/', '/cdktf.out/'],
      watchPathIgnorePatterns: ['/node_modules/', '/cdktf.out/'],
      // No cdktf token stack traces in the tests: see the file for why that is safe.
      setupFiles: ['<rootDir>/__tests__/support/jest-setup.ts'],
      // The longest suites first (a fresh clone has no durations in Jest's cache): see the file.
      testSequencer: '<rootDir>/__tests__/support/sequencer.js',
    },
  },
  tsconfigDev: {
    // lib/ too, not only what the tests import: ESLint lints lib/ with this program (see parserOptions.project).
    include: ['../lib/**/*.ts', '../main.ts', '../examples/**/*.ts', '../scripts/**/*.ts', '../bench/**/*.ts'],
    compilerOptions: {},
  },
  gitignore: ['cdktf.out/', '.app/', '.app-bench/', '.gen/', '*.tfstate*', '.terraform/', 'bench/results/'],
  npmignoreEnabled: true,
});

project.npmignore?.exclude('/.app/', '/examples/', '/main.ts', '/cdktf.json', '/scripts/', '/bench/', '/.ci/', '/cdktf.out/');

// A prebuilt provider's package root loads every resource class of the provider
// (seconds and hundreds of MB at every build, test and synth): deep imports only.
project.eslint?.addRules({
  'no-restricted-imports': ['error', {
    paths: ['@cdktf/provider-azurerm', '@cdktf/provider-kubernetes', '@cdktf/provider-helm', '@cdktf/provider-time'].map((name) => ({
      name,
      message: `Import the resource by deep path, e.g. '${name}/lib/<resource>': the package root loads the whole provider.`,
    })),
  }],
});
// Lint with type information from the test tsconfig, which includes lib/, the tests, main.ts, examples/ and
// scripts/ (and projenrc's for .projenrc.ts). Not also from ./tsconfig.json: ESLint run from the command line
// builds a program for every tsconfig listed before it lints, and that one (lib/ again, same options but
// for emit) cost about 5 s of CPU per lint and served no file the test tsconfig does not.
project.tryFindObjectFile('.eslintrc.json')?.addOverride('parserOptions.projectService', undefined);
project.tryFindObjectFile('.eslintrc.json')?.addOverride('parserOptions.project', ['./__tests__/tsconfig.json', './projenrc/tsconfig.json']);
project.eslint?.addLintPattern('examples');
for (const pattern of ['scripts/**', 'examples/**', 'bench/**', 'main.ts']) project.eslint?.allowDevDeps(pattern);
project.eslint?.addLintPattern('scripts');
project.eslint?.addLintPattern('main.ts');

// `npm test`: the type-check (tests run transpile-only, with isolatedModules), Jest and ESLint, then one
// closing line `N passed, N failed` (scripts/test-run.ts). Arguments go to Jest.
project.testTask.reset('tsx scripts/test-run.ts', { receiveArgs: true, name: 'test-run' });

// The main job: synthesize the reference topology into cdktf.out/, as precompiled JavaScript
// with nothing type-checked on the synth path (see scripts/app.js).
project.addTask('synth', {
  description: 'Synthesize the reference topology into cdktf.out/ and draw it (topology.svg, topology.drawio)',
  exec: 'node scripts/app.js --diagram',
});
project.addTask('bench', {
  description: 'Benchmark synth, build and test (figures for the README: --update-readme)',
  exec: 'tsx bench/run.ts',
  receiveArgs: true,
});
project.addTask('schemas', {
  description: 'Regenerate the pruned provider schemas and Istio CRD schemas the tests validate against (needs ../shared)',
  exec: 'tsx scripts/prune-schemas.ts',
});

project.addTask('vendor-monitoring', {
  description: 'Vendor the Azure Monitor reference data (AMBA alerts, supported metrics and logs, AKS Prometheus rules) from ../shared',
  exec: 'tsx scripts/vendor-azure-monitor.ts',
});

project.synth();
