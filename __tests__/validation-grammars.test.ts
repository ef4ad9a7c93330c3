// Values with a real grammar are checked by it, with one shared checker per grammar in
// lib/core/validate.ts (issue 16): each case here slipped through before.
import { App, TerraformStack } from 'cdktf';
import { synthStack } from './support';
import { ApiBackend, ApiGovernance, ApiPolicy, HttpMethod, MeshPort, MeshService, RateLimitKey, TieredNetwork } from '../lib';
import { addonMesh, helmMesh } from './support/fixtures';
import { isPinnedImage, parseImageReference } from '../lib/core/validate';

const placement = { resourceGroupName: 'rg-shop', location: 'westeurope' };
const newStack = () => new TerraformStack(new App(), 'grammar');
const HEX64 = 'a'.repeat(64);

function apiGovernance(stack: TerraformStack): ApiGovernance {
  const network = new TieredNetwork(stack, 'Network', placement);
  return new ApiGovernance(stack, 'Api', { ...placement, name: 'apim-shop', subnet: network.apiSubnet, publisherName: 'Shop', publisherEmail: 'ops@shop.example' });
}

const service = (stack: TerraformStack, props: { [key: string]: any } = {}, id = 'Orders') =>
  new MeshService(stack, id, { mesh: addonMesh, image: 'shop.azurecr.io/orders:1.4.2', ports: [MeshPort.http(8080)], ...props });

describe('TieredNetwork placement', () => {
  test.each([['resourceGroupName', ''], ['location', ''], ['location', '   '], ['resourceGroupName', '  ']])('fails when %s is %j', (prop, value) => {
    expect(() => new TieredNetwork(newStack(), 'Network', { ...placement, [prop]: value })).toThrow(new RegExp(`invalid '${prop}'`));
  });
});

describe('container images (OCI references)', () => {
  test.each([
    [`nginx@sha256:${'A'.repeat(64)}`, 'upper-case digest'],
    [`nginx@sha256:${'a'.repeat(63)}`, '63 hex digits'],
    [`nginx@sha512:${'a'.repeat(128)}`, 'not sha256'],
    [`nginx@sha256:${'g'.repeat(64)}`, 'not hex'],
    ['nginx:LATEST', 'latest in upper case'],
    ['nginx:Latest', 'latest in mixed case'],
    ['Shop.azurecr.io/Orders:1.0', 'upper-case repository'],
    ['shop.azurecr.io/orders:', 'empty tag'],
    ['shop.azurecr.io//orders:1.0', 'empty path component'],
    ['shop.azurecr.io/orders:1.0:2.0', 'two tags'],
  ])('MeshService fails when image is %s (%s)', (image) => {
    expect(() => service(newStack(), { image })).toThrow(/invalid 'image'/);
  });

  test.each([
    'nginx:1.27.3', `nginx@sha256:${HEX64}`, `shop.azurecr.io/team/orders:1.4.2@sha256:${HEX64}`, 'localhost:5000/orders:v1', 'registry:5000/team/app:2',
  ])('accepts %s', (image) => {
    expect(() => synthStack(service(newStack(), { image }).node.scope as TerraformStack)).not.toThrow();
  });

  test('the construct and the policy pack agree on every reference', () => {
    const references = [
      'nginx', 'nginx:latest', 'nginx:LATEST', 'nginx:1.2', `nginx@sha256:${HEX64}`, `nginx@sha256:${'A'.repeat(64)}`, 'UPPER/case:1',
      'registry:5000/team/app', 'registry:5000/team/app:1', 'a/b:Latest', `a/b:latest@sha256:${HEX64}`,
    ];
    for (const image of references) {
      let accepted = true;
      try {
        service(newStack(), { image });
      } catch {
        accepted = false;
      }
      expect([image, accepted]).toEqual([image, isPinnedImage(image)]);
    }
    expect(parseImageReference('registry:5000/team/app:1')).toEqual({ domain: 'registry:5000', path: 'team/app', tag: '1', digest: undefined });
  });
});

describe('MeshService', () => {
  test('fails when command is one string (the schema wants a list)', () => {
    expect(() => service(newStack(), { command: '/app/orders --port 8080' })).toThrow(/invalid 'command': got "\/app\/orders --port 8080"; expected a list/);
  });

  test.each(['abc', '00000000-0000-0000-0000-00000000000', '{00000000-0000-0000-0000-000000000000}'])('fails when workloadIdentityClientId is %j (not a GUID)', (id) => {
    expect(() => service(newStack(), { workloadIdentityClientId: id })).toThrow(/invalid 'workloadIdentityClientId'.*GUID/);
  });

  test('fails when a route matches a header name that is not a lower-case header name', () => {
    const routes = (name: string) => [{ match: { headers: { [name]: 'true' } }, destinations: [{ version: 'v1' }] }];
    expect(() => service(newStack(), { routes: routes('X-Canary') })).toThrow(/invalid 'routes\[0\]\.match\.headers': got "X-Canary"/);
    expect(() => service(newStack(), { routes: routes('x canary') })).toThrow(/invalid 'routes\[0\]\.match\.headers'/);
    expect(() => service(newStack(), { routes: routes('x-canary') })).not.toThrow();
  });

  test('allowFrom fails for a service of another cluster\'s mesh', () => {
    const stack = newStack();
    const orders = service(stack);
    const elsewhere = new MeshService(stack, 'Elsewhere', { mesh: helmMesh, name: 'elsewhere', image: 'shop.azurecr.io/x:1.0', ports: [MeshPort.http(8080)] });
    expect(() => orders.allowFrom(elsewhere)).toThrow(/invalid 'peer': got "grammar\/Elsewhere"; expected a service of the same mesh/);
    expect(() => orders.allowFrom(service(stack, { name: 'web' }, 'Web'))).not.toThrow();
  });
});

describe('API Management', () => {
  const operation = (urlTemplate: string) => (stack: TerraformStack) => apiGovernance(stack).addApi('Orders', {
    path: 'orders',
    backend: ApiBackend.fromUrl('https://orders.mesh.internal'),
    operations: [{ operationId: 'get', method: HttpMethod.GET, urlTemplate }],
  });

  test.each(['/orders/{id', '/orders/id}', '/orders/{{id}}', '/orders/{}', '/orders/a b', '/orders/<id>', '/orders/"x"', '/files/{*rest}/x', 'orders', '/orders/{id}?x=1', '/a|b', '/a^b'])(
    'addApi fails when an operation urlTemplate is %j', (template) => {
      expect(() => operation(template)(newStack())).toThrow(/invalid 'urlTemplate'/);
    });

  test.each(['/', '/orders', '/orders/{id}', '/orders/{id}/items/{item-id}', '/files/{*path}', '/a;b=c/%20x', "/o~r-d_e.r:s@!$&'()*+,="])('accepts the urlTemplate %j', (template) => {
    expect(() => operation(template)(newStack())).not.toThrow();
  });

  test('fails when two products have the same product id', () => {
    const api = apiGovernance(newStack());
    api.addProduct('Standard', { productId: 'standard' });
    expect(() => api.addProduct('Gold', { productId: 'standard' })).toThrow(/invalid 'products\.Gold\.productId': got "standard"; each product id must be unique in the service; product 'Standard' has it/);
  });

  test('fails when two products have the same id', () => {
    const api = apiGovernance(newStack());
    api.addProduct('Standard');
    expect(() => api.addProduct('Standard')).toThrow(expect.objectContaining({ name: 'ConstructValidationError', message: expect.stringMatching(/each id must be unique/) }));
  });

  test.each([['', /rateLimitByKey\.key\.header/], ['x client', /rateLimitByKey\.key\.header/]])('fails when a rate limit counts by the header %j', (name, prop) => {
    const stack = newStack();
    expect(() => {
      apiGovernance(stack).addPolicy(ApiPolicy.rateLimitByKey({ calls: 10, key: RateLimitKey.header(name) }));
      synthStack(stack);
    }).toThrow(prop);
  });

  test('fails when a rate limit counts by a blank expression (every caller would share one counter)', () => {
    const stack = newStack();
    expect(() => {
      apiGovernance(stack).addPolicy(ApiPolicy.quotaByKey({ calls: 10, renewalPeriod: 60, key: RateLimitKey.fromExpression(' ') }));
      synthStack(stack);
    }).toThrow(/quotaByKey\.key\.expression/);
  });
});
