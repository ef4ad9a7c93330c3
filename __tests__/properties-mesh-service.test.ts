// Property-based test of MeshService input handling (issue 8): 1000 generated prop sets.
import * as fc from 'fast-check';
import { MeshPort, MeshService } from '../lib';
import { addonMesh as mesh } from './support/fixtures';
import { assertConstructProperty, optional } from './support/properties';


// Mostly plausible values, with the edge cases users type: empty, too long, wrong case, bad tags.
// Each field is valid most of the time, so that about half the cases synthesize.
const mostly = <T>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<T>) => fc.oneof({ arbitrary: valid, weight: 12 }, { arbitrary: invalid, weight: 1 });
const name = mostly(
  fc.oneof(fc.constantFrom('orders', 'svc-a', 'payments-v2', 'a'), fc.stringMatching(/^[a-z][a-z0-9]{0,20}$/)),
  fc.constantFrom('', 'Orders', '-bad', 'bad-', '1abc', 'default', 'kube-system', 'a'.repeat(64)),
);
// OCI references (issue 16): digests are sha256 + 64 lower-case hex; "latest" in any case is not pinned.
const hex64 = fc.stringMatching(/^[0-9a-f]{64}$/);
const image = mostly(
  fc.oneof(
    fc.constantFrom('contoso.azurecr.io/orders:1.4.2', 'mcr.microsoft.com/azuredocs/aks-helloworld:v1', 'nginx@sha256:' + 'a'.repeat(64), 'localhost:5000/team/app:2'),
    hex64.map((h) => `contoso.azurecr.io/orders@sha256:${h}`),
  ),
  fc.oneof(
    fc.constantFrom('nginx', 'nginx:latest', 'contoso.azurecr.io/orders', '', 'UPPER/case:1', 'nginx:LATEST', 'nginx:Latest', 'a//b:1', 'nginx:1:2'),
    hex64.map((h) => `nginx@sha256:${h.slice(1)}`),
    hex64.map((h) => `nginx@sha256:F${h.slice(1)}`),
    hex64.map((h) => `nginx@sha512:${h}${h}`),
  ),
);
// A command is a list; one string is the classic mistake (the schema wants a list).
const command = mostly<string[] | string>(fc.constantFrom(['/app/orders'], ['/bin/orders', '--port', '8080']), fc.constantFrom('/app/orders --port 8080', ''));
const clientId = mostly(fc.uuid(), fc.constantFrom('abc', '', '{00000000-0000-0000-0000-000000000000}', '00000000-0000-0000-0000-00000000000'));
// Istio header matches: lower-case header names.
const headerName = mostly(fc.constantFrom('x-canary', 'x-user-group', 'cookie'), fc.constantFrom('X-Canary', 'x canary', 'x:y', ''));
const port = mostly(fc.integer({ min: 1024, max: 14999 }), fc.constantFrom(0, -1, 65536, 15001, 1.5, Number.NaN));
const versions = fc.uniqueArray(mostly(fc.constantFrom('v2', 'v3', 'canary'), fc.constantFrom('V4', '', 'v1')), { maxLength: 2 });

const arbitrary = fc.record({
  name: optional(name),
  image,
  ports: optional(fc.array(fc.tuple(fc.constantFrom('http', 'grpc', 'tcp'), port), { minLength: 0, maxLength: 3 })),
  minReplicas: optional(mostly(fc.integer({ min: 2, max: 5 }), fc.integer({ min: -1, max: 1 }))),
  maxReplicas: optional(mostly(fc.integer({ min: 5, max: 30 }), fc.integer({ min: -1, max: 4 }))),
  targetCpuUtilization: optional(mostly(fc.integer({ min: 10, max: 100 }), fc.constantFrom(-10, 0, 101, 120))),
  runAsUser: optional(mostly(fc.constantFrom(1000, 10001, 65532), fc.constantFrom(0, 1337, -5))),
  versions: optional(versions),
  weights: optional(mostly<number[]>(
    fc.constantFrom([100], [90, 10], [50, 50], [34, 33, 33]),
    fc.array(fc.integer({ min: -10, max: 110 }), { minLength: 1, maxLength: 3 }),
  )),
  expose: fc.boolean(),
  command: optional(command),
  workloadIdentityClientId: optional(clientId),
  routeHeader: optional(headerName),
});

test('MeshService: 1000 generated prop sets synthesize valid, policy-clean stacks or fail naming the prop', () => {
  const counts = assertConstructProperty(arbitrary, [
    'name', 'image', 'ports', 'minReplicas', 'maxReplicas', 'targetCpuUtilization', 'runAsUser', 'versions', 'routes', 'options', 'command', 'workloadIdentityClientId',
  ], (stack, p) => {
    const versionList = (p.versions ?? []).map((v) => ({ name: v, image: 'contoso.azurecr.io/orders:2.0.0' }));
    const subsets = ['v1', ...versionList.map((v) => v.name)];
    const service = new MeshService(stack, 'Service', {
      mesh,
      name: p.name,
      image: p.image,
      ports: p.ports?.map(([kind, n]) => (kind === 'http' ? MeshPort.http(n) : kind === 'grpc' ? MeshPort.grpc(n) : MeshPort.tcp(n))),
      minReplicas: p.minReplicas,
      maxReplicas: p.maxReplicas,
      targetCpuUtilization: p.targetCpuUtilization,
      runAsUser: p.runAsUser,
      versions: p.versions ? versionList : undefined,
      routes: p.weights ? [{
        match: p.routeHeader === undefined ? undefined : { headers: { [p.routeHeader]: 'true' } },
        destinations: p.weights.map((weight, i) => ({ version: subsets[i % subsets.length], weight })),
      }] : undefined,
      command: p.command as string[] | undefined,
      workloadIdentityClientId: p.workloadIdentityClientId,
    });
    if (p.expose) service.exposeViaGateway();
  });
  expect(counts.synthesized).toBeGreaterThan(100);
  expect(counts.rejected).toBeGreaterThan(100);
});
