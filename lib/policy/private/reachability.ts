// Reachability between the layers of the topology, read as Azure evaluates NSGs: for a flow from a
// source to a destination, the source subnet's NSG judges it outbound and the destination subnet's NSG
// inbound; in each, rules apply in priority order (lowest number first), the first rule matching the
// protocol, source, destination and port decides, and Azure's default rules come last
// (AllowVnetInBound 65000, AllowAzureLoadBalancerInBound 65001, DenyAllInBound 65500; AllowVnetOutBound
// 65000, AllowInternetOutBound 65001, DenyAllOutBound 65500). A subnet without an NSG filters nothing.
//
// The layers are found from what runs in them, never from names: the subnet of an Application Gateway
// is the edge, the subnet of an API Management service the API layer, the node subnet of an AKS cluster
// the compute layer. The Internet is the fourth end.
import { Cidr, cidrContains, cidrOverlaps, parseCidr } from '../../core/cidr';
import { IPolicyContext, PolicyResource } from '../types';
import { derive } from './context';
import { nsgOfSubnet } from './network';
import { Json, block, blocks, isAbsent, isExpression, num, parsePortRange, rawText, referencedAddresses } from './values';

/** Port intervals, sorted and disjoint. */
export type Ports = Array<[number, number]>;
const ALL_PORTS: Ports = [[0, 65535]];

export function union(a: Ports, b: Ports): Ports {
  const all = [...a, ...b].sort((x, y) => x[0] - y[0]);
  const out: Ports = [];
  for (const [from, to] of all) {
    const last = out[out.length - 1];
    if (last && from <= last[1] + 1) last[1] = Math.max(last[1], to);
    else out.push([from, to]);
  }
  return out;
}

export function intersect(a: Ports, b: Ports): Ports {
  const out: Ports = [];
  for (const [af, at] of a) {
    for (const [bf, bt] of b) {
      const from = Math.max(af, bf);
      const to = Math.min(at, bt);
      if (from <= to) out.push([from, to]);
    }
  }
  return union(out, []);
}

export function subtract(a: Ports, b: Ports): Ports {
  let out = a;
  for (const [bf, bt] of b) {
    const next: Ports = [];
    for (const [from, to] of out) {
      if (bt < from || bf > to) {
        next.push([from, to]);
        continue;
      }
      if (from < bf) next.push([from, bf - 1]);
      if (bt < to) next.push([bt + 1, to]);
    }
    out = next;
  }
  return out;
}

/** "443", "80, 443", "65200-65535", "any", or "" for none. */
export function formatPorts(ports: Ports): string {
  if (ports.length === 1 && ports[0][0] === 0 && ports[0][1] === 65535) return 'any';
  return ports.map(([from, to]) => (from === to ? `${from}` : `${from}-${to}`)).join(', ');
}

/** One security rule, with what the analysis needs. */
export interface NsgRule {
  readonly nsg: string;
  readonly name: string;
  readonly priority: number;
  readonly direction: 'inbound' | 'outbound';
  readonly allow: boolean;
  readonly protocol: string;
  readonly sources: string[];
  readonly destinations: string[];
  readonly ports: Ports;
  readonly isDefault: boolean;
}

const DEFAULT_RULES = (nsg: string): NsgRule[] => [
  { nsg, name: 'AllowVnetInBound', priority: 65000, direction: 'inbound', allow: true, protocol: '*', sources: ['VirtualNetwork'], destinations: ['VirtualNetwork'], ports: ALL_PORTS, isDefault: true },
  { nsg, name: 'AllowAzureLoadBalancerInBound', priority: 65001, direction: 'inbound', allow: true, protocol: '*', sources: ['AzureLoadBalancer'], destinations: ['*'], ports: ALL_PORTS, isDefault: true },
  { nsg, name: 'DenyAllInBound', priority: 65500, direction: 'inbound', allow: false, protocol: '*', sources: ['*'], destinations: ['*'], ports: ALL_PORTS, isDefault: true },
  { nsg, name: 'AllowVnetOutBound', priority: 65000, direction: 'outbound', allow: true, protocol: '*', sources: ['VirtualNetwork'], destinations: ['VirtualNetwork'], ports: ALL_PORTS, isDefault: true },
  { nsg, name: 'AllowInternetOutBound', priority: 65001, direction: 'outbound', allow: true, protocol: '*', sources: ['*'], destinations: ['Internet'], ports: ALL_PORTS, isDefault: true },
  { nsg, name: 'DenyAllOutBound', priority: 65500, direction: 'outbound', allow: false, protocol: '*', sources: ['*'], destinations: ['*'], ports: ALL_PORTS, isDefault: true },
];

/** Reads a rule; undefined when a field that decides matching is only known at plan time. */
function readRule(nsg: string, json: Json): NsgRule | undefined {
  const strings = (single: string, plural: string): string[] | undefined => {
    const out: string[] = [];
    for (const key of [single, plural]) {
      const value = json[key];
      if (isAbsent(value)) continue;
      if (typeof value === 'string' && isExpression(value) && !publicIpReference(value)) return undefined;
      for (const v of Array.isArray(value) ? value : [value]) {
        if (typeof v !== 'string' && typeof v !== 'number') continue;
        if (isExpression(v) && !publicIpReference(String(v))) return undefined;
        out.push(String(v));
      }
    }
    return out;
  };
  const priority = num(json, 'priority');
  const direction = rawText(json, 'direction');
  const access = rawText(json, 'access');
  const protocol = rawText(json, 'protocol') ?? '*';
  const sources = strings('source_address_prefix', 'source_address_prefixes');
  const destinations = strings('destination_address_prefix', 'destination_address_prefixes');
  const portTexts = strings('destination_port_range', 'destination_port_ranges');
  if (typeof priority !== 'number' || !direction || !access || isExpression(direction) || isExpression(access) || isExpression(protocol)) return undefined;
  if (!sources || !destinations || !portTexts) return undefined;
  // Application security groups name NICs, not address blocks: the analysis cannot place them.
  for (const key of ['source_application_security_group_ids', 'destination_application_security_group_ids']) {
    const asg = json[key];
    if (Array.isArray(asg) ? asg.length > 0 : !isAbsent(asg)) return undefined;
  }
  let ports: Ports = [];
  for (const text of portTexts) {
    const range = parsePortRange(text);
    if (!range) return undefined;
    ports = union(ports, [range]);
  }
  return {
    nsg,
    name: typeof json.name === 'string' ? json.name : '(unnamed)',
    priority,
    direction: direction.toLowerCase() === 'inbound' ? 'inbound' : 'outbound',
    allow: access.toLowerCase() === 'allow',
    protocol,
    sources: sources.length > 0 ? sources : ['*'],
    destinations: destinations.length > 0 ? destinations : ['*'],
    ports,
    isDefault: false,
  };
}

/** `${azurerm_public_ip.<name>.ip_address}`: the address of a public IP of the app. */
function publicIpReference(value: string): boolean {
  return /^\$\{azurerm_public_ip\.[A-Za-z_][A-Za-z0-9_-]*\.ip_address\}$/.test(value);
}

/** The rules of an NSG (inline and standalone), with the defaults; undefined when one cannot be read. */
function rulesOf(context: IPolicyContext, nsg: PolicyResource): NsgRule[] | undefined {
  const standalone = derive(context, 'reachability:standalone-rules', (ctx) => {
    const byKey = new Map<string, Json[]>();
    for (const r of ctx.resourcesOfType('azurerm_network_security_rule')) {
      const name = r.config.network_security_group_name;
      if (typeof name !== 'string') continue;
      const refs = referencedAddresses(name).filter((a) => a.startsWith('azurerm_network_security_group.'));
      for (const key of refs.length > 0 ? refs : isExpression(name) ? [] : [`name:${name}`]) {
        byKey.set(key, [...byKey.get(key) ?? [], r.config]);
      }
    }
    return byKey;
  });
  const name = typeof nsg.config.name === 'string' && !isExpression(nsg.config.name) ? nsg.config.name : nsg.address;
  const jsons = [
    ...blocks(nsg.config, 'security_rule'),
    ...standalone.get(nsg.address) ?? [],
    ...(name !== nsg.address ? standalone.get(`name:${name}`) ?? [] : []),
  ];
  const rules: NsgRule[] = [];
  for (const json of jsons) {
    const rule = readRule(name, json);
    if (!rule) return undefined;
    rules.push(rule);
  }
  return [...rules, ...DEFAULT_RULES(name)].sort((a, b) => a.priority - b.priority);
}

/** How much of an end a rule's address prefix covers. */
type Cover = 'all' | 'some' | 'none' | 'unknown';

/** An end of a flow in one of the forms its packets carry (a subnet's addresses, or a public frontend IP). */
export interface AddressForm {
  /** CIDR blocks of the form; empty for the Internet and for a public IP. */
  readonly blocks: Cidr[];
  /** The Internet (anything outside the VNets). */
  readonly internet?: boolean;
  /** The public IP this form stands for, as its Terraform reference. */
  readonly publicIp?: string;
  /** Shown in findings. */
  readonly label: string;
}

const NOT_INTERNET = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16'].map((c) => parseCidr(c)!);

function cover(prefix: string, form: AddressForm, vnet: Cidr[]): Cover {
  const p = prefix.trim();
  const lower = p.toLowerCase();
  if (lower === '*' || lower === 'any' || p === '0.0.0.0/0') return 'all';
  if (form.publicIp !== undefined) {
    if (p === form.publicIp) return 'all';
    if (lower === 'internet' || lower === 'virtualnetwork' || publicIpReference(p)) return 'none';
    const range = parseCidr(p) ?? parseCidr(`${p}/32`);
    if (!range) return 'none';
    // A private range never holds a public IP; a public one may (its address is only known after apply).
    return [...vnet, ...NOT_INTERNET].some((v) => cidrContains(v, range)) ? 'none' : 'unknown';
  }
  if (form.internet) {
    if (lower === 'internet') return 'all';
    if (publicIpReference(p)) return 'some';
    const cidr = parseCidr(p) ?? parseCidr(`${p}/32`);
    // Private, shared and link-local ranges (a pod CIDR, ...) are never Internet sources.
    if (cidr) return [...vnet, ...NOT_INTERNET].some((v) => cidrContains(v, cidr)) ? 'none' : 'some';
    // VirtualNetwork, AzureLoadBalancer, GatewayManager, ApiManagement, Storage, ...: not the Internet's clients.
    return 'none';
  }
  if (lower === 'virtualnetwork') return 'all';
  const cidr = parseCidr(p) ?? parseCidr(`${p}/32`);
  if (!cidr) return 'none';
  if (form.blocks.every((b) => cidrContains(cidr, b))) return 'all';
  return form.blocks.some((b) => cidrOverlaps(cidr, b)) ? 'some' : 'none';
}

function coverOfList(prefixes: string[], form: AddressForm, vnet: Cidr[]): Cover {
  const covers = prefixes.map((p) => cover(p, form, vnet));
  if (covers.includes('all')) return 'all';
  if (covers.includes('unknown')) return 'unknown';
  return covers.includes('some') ? 'some' : 'none';
}

function both(a: Cover, b: Cover): Cover {
  if (a === 'none' || b === 'none') return 'none';
  if (a === 'unknown' || b === 'unknown') return 'unknown';
  return a === 'all' && b === 'all' ? 'all' : 'some';
}

/** What one NSG lets through in one direction, for one protocol. */
export interface Verdict {
  /** Ports open (for some address of the source in 'may' mode, for every address in 'must' mode). */
  readonly ports: Ports;
  /** Which rule opened which ports. */
  readonly via: Array<{ ports: Ports; rule: NsgRule }>;
  /** A rule that could decide could not be placed (a partial CIDR on a public IP, ...). */
  readonly unknown: boolean;
}

/**
 * Evaluates rules in priority order. 'may': a path exists for some address of the source (partial
 * allows count, partial denies do not stop it); 'must': every address of a subnet source, and some
 * clients of the Internet, get through to every address of the destination (only allows that cover
 * them count; any deny that touches them stops it).
 */
export function evaluate(rules: NsgRule[], direction: 'inbound' | 'outbound', protocol: 'Tcp' | 'Udp',
  source: AddressForm, destination: AddressForm, vnet: Cidr[], mode: 'may' | 'must'): Verdict {
  let undecided: Ports = ALL_PORTS;
  let allowed: Ports = [];
  const via: Array<{ ports: Ports; rule: NsgRule }> = [];
  let unknown = false;
  for (const rule of rules) {
    if (rule.direction !== direction) continue;
    if (rule.protocol !== '*' && rule.protocol.toLowerCase() !== protocol.toLowerCase()) continue;
    let sourceCover = coverOfList(rule.sources, source, vnet);
    // The Internet as a required source means "clients can get in": an allow of some public sources
    // (publicSourceAddressPrefixes) is enough, and a deny of some of them does not block the path.
    if (mode === 'must' && source.internet && sourceCover === 'some') {
      if (!rule.allow) continue;
      sourceCover = 'all';
    }
    let destinationCover = coverOfList(rule.destinations, destination, vnet);
    // A required path reaches the service somewhere in the destination subnet: an allow of its address
    // (the ingress gateway's IP) is enough, and a deny of other addresses does not block it.
    if (mode === 'must' && destinationCover === 'some' && destination.publicIp === undefined && !destination.internet) {
      if (!rule.allow) continue;
      destinationCover = 'all';
    }
    const match = both(sourceCover, destinationCover);
    if (match === 'none') continue;
    if (match === 'unknown') {
      unknown = true;
      continue;
    }
    const here = intersect(undecided, rule.ports);
    if (here.length === 0) continue;
    if (rule.allow) {
      if (match === 'some' && mode === 'must') continue;
      allowed = union(allowed, here);
      via.push({ ports: here, rule });
      undecided = subtract(undecided, here);
    } else {
      if (match === 'some' && mode === 'may') continue;
      undecided = subtract(undecided, here);
    }
  }
  return { ports: allowed, via, unknown };
}

/** A layer of the topology: a subnet and what runs in it. */
export interface LayerEnd {
  /** `edge`, `api` or `compute`; `Internet` for the Internet. */
  readonly layer: string;
  /** The subnet resource (none for the Internet). */
  readonly subnet?: PolicyResource;
  /** The subnet's name, e.g. `snet-edge`. */
  readonly subnetName?: string;
  /** The subnet's address blocks. */
  readonly blocks: Cidr[];
  /** The subnet's NSG: its rules (with the defaults), 'none' without one, undefined when they cannot be read. */
  readonly rules?: NsgRule[] | 'none';
  /** The NSG resource, for findings. */
  readonly nsg?: PolicyResource;
  /** Edge only: the gateway's public IPs, as references, and the listener ports by frontend. */
  readonly publicIps: string[];
  readonly publicListenerPorts: Ports;
  readonly privateListenerPorts: Ports;
}

/** One ordered pair of ends. */
export interface PathResult {
  readonly source: LayerEnd;
  readonly destination: LayerEnd;
  /** Ports open for some address of the source ('may'). */
  readonly tcp: Ports;
  readonly udp: Ports;
  /** Ports open for every address of the source and every destination form ('must'). */
  readonly tcpAlways: Ports;
  /** Rules that open the 'may' ports, by protocol. */
  readonly via: Array<{ protocol: 'Tcp' | 'Udp'; ports: Ports; rule: NsgRule }>;
  /** The analysis could not decide this pair (an NSG rule only known at plan time, ...). */
  readonly unknown: boolean;
  /** What the layer contract allows: TCP ports, or 'any' (not restricted), or undefined (not judged: same end). */
  readonly contract: Ports | 'any' | undefined;
  /** TCP ports the contract requires open. */
  readonly required: Ports;
}

/** The whole analysis. */
export interface Reachability {
  readonly ends: LayerEnd[];
  readonly paths: PathResult[];
}

const LAYER_ORDER = ['Internet', 'edge', 'api', 'compute'];

/** Finds the layers, their subnets and NSGs in the app. */
function findLayers(context: IPolicyContext): LayerEnd[] {
  const layers = new Map<string, { layer: string; subnet: PolicyResource; gateways: Json[] }>();
  const place = (layer: string, subnetId: string | undefined, gateway?: Json) => {
    if (!subnetId) return;
    const subnet = context.findReferenced(subnetId);
    if (!subnet || subnet.type !== 'azurerm_subnet') return;
    const existing = layers.get(subnet.address);
    if (existing) {
      if (gateway) existing.gateways.push(gateway);
      return;
    }
    layers.set(subnet.address, { layer, subnet, gateways: gateway ? [gateway] : [] });
  };
  for (const gw of context.resourcesOfType('azurerm_application_gateway')) {
    for (const ip of blocks(gw.config, 'gateway_ip_configuration')) place('edge', rawText(ip, 'subnet_id'), gw.config);
  }
  for (const apim of context.resourcesOfType('azurerm_api_management')) {
    place('api', rawText(block(apim.config, 'virtual_network_configuration'), 'subnet_id'));
  }
  for (const aks of context.resourcesOfType('azurerm_kubernetes_cluster')) {
    place('compute', rawText(block(aks.config, 'default_node_pool'), 'vnet_subnet_id'));
  }
  for (const pool of context.resourcesOfType('azurerm_kubernetes_cluster_node_pool')) {
    place('compute', rawText(pool.config, 'vnet_subnet_id'));
  }
  const ends: LayerEnd[] = [{ layer: 'Internet', blocks: [], rules: 'none', publicIps: [], publicListenerPorts: [], privateListenerPorts: [] }];
  for (const { layer, subnet, gateways } of layers.values()) {
    const prefixes = subnet.config.address_prefixes;
    const cidrs = (Array.isArray(prefixes) ? prefixes : []).map((p: unknown) => (typeof p === 'string' ? parseCidr(p) : undefined));
    const nsg = nsgOfSubnet(context, `\${${subnet.address}.id}`);
    const rules = nsg === 'none' ? 'none' : nsg === 'outside-app' ? undefined : rulesOf(context, nsg);
    const publicIps: string[] = [];
    let publicListenerPorts: Ports = [];
    let privateListenerPorts: Ports = [];
    for (const gw of gateways) {
      const publicFrontends = new Set<string>();
      for (const fe of blocks(gw, 'frontend_ip_configuration')) {
        const pip = rawText(fe, 'public_ip_address_id');
        if (pip === undefined) continue;
        if (typeof fe.name === 'string') publicFrontends.add(fe.name);
        const target = context.findReferenced(pip);
        if (target) publicIps.push(`\${${target.address}.ip_address}`);
      }
      const portByName = new Map(blocks(gw, 'frontend_port').map((p) => [p.name, num(p, 'port')]));
      for (const listener of blocks(gw, 'http_listener')) {
        const port = portByName.get(listener.frontend_port_name);
        if (typeof port !== 'number') continue;
        if (publicFrontends.has(listener.frontend_ip_configuration_name)) publicListenerPorts = union(publicListenerPorts, [[port, port]]);
        else privateListenerPorts = union(privateListenerPorts, [[port, port]]);
      }
    }
    ends.push({
      layer,
      subnet,
      subnetName: typeof subnet.config.name === 'string' ? subnet.config.name : subnet.address,
      blocks: cidrs.every((c: Cidr | undefined) => c !== undefined) ? cidrs as Cidr[] : [],
      rules,
      nsg: nsg === 'none' || nsg === 'outside-app' ? undefined : nsg,
      publicIps,
      publicListenerPorts,
      privateListenerPorts,
    });
  }
  return ends.sort((a, b) => LAYER_ORDER.indexOf(a.layer) - LAYER_ORDER.indexOf(b.layer)
    || (a.subnetName ?? '').localeCompare(b.subnetName ?? ''));
}

/** The address forms a flow from `source` to `destination` may carry at its destination. */
function destinationForms(source: LayerEnd, destination: LayerEnd): AddressForm[] {
  if (destination.layer === 'Internet') return [{ blocks: [], internet: true, label: 'the Internet' }];
  const forms: AddressForm[] = [{ blocks: destination.blocks, label: destination.subnetName ?? destination.layer }];
  // From the Internet, a listener is addressed at the public frontend IP (Application Gateway v2 also
  // rewrites flows to its frontend IPs when a public and a private listener share a port).
  if (source.layer === 'Internet') {
    for (const ip of destination.publicIps) forms.push({ blocks: [], publicIp: ip, label: 'the public frontend IP' });
  }
  return forms;
}

function sourceForm(end: LayerEnd): AddressForm {
  return end.layer === 'Internet' ? { blocks: [], internet: true, label: 'the Internet' } : { blocks: end.blocks, label: end.subnetName ?? end.layer };
}

/** The layer contract for one ordered pair. */
function contractOf(source: LayerEnd, destination: LayerEnd, apiHasBackends: boolean): { allowed: Ports | 'any' | undefined; required: Ports } {
  if (source === destination) return { allowed: undefined, required: [] };
  // Outbound Internet: Application Gateway v2, API Management and AKS all depend on it (Azure docs).
  if (destination.layer === 'Internet') return { allowed: 'any', required: [] };
  if (destination.layer === 'edge') {
    if (source.layer === 'Internet') return { allowed: destination.publicListenerPorts, required: destination.publicListenerPorts };
    return { allowed: destination.privateListenerPorts, required: [] };
  }
  if (destination.layer === 'api' && source.layer === 'edge') return { allowed: [[443, 443]], required: [[443, 443]] };
  if (destination.layer === 'compute' && source.layer === 'api') return { allowed: [[443, 443]], required: apiHasBackends ? [[443, 443]] : [] };
  return { allowed: [], required: [] };
}

/** Analyses every ordered pair of ends of the app (computed once per app in the pack). */
export function reachability(context: IPolicyContext): Reachability {
  return derive(context, 'reachability', (ctx) => {
    const ends = findLayers(ctx);
    const vnet: Cidr[] = [];
    for (const v of ctx.resourcesOfType('azurerm_virtual_network')) {
      for (const space of Array.isArray(v.config.address_space) ? v.config.address_space : []) {
        const cidr = typeof space === 'string' ? parseCidr(space) : undefined;
        if (cidr) vnet.push(cidr);
      }
    }
    // API Management routes somewhere: the API layer must reach the compute layer's ingress gateway.
    const apiHasBackends = ctx.resourcesOfType('azurerm_api_management_backend').length > 0;
    const paths: PathResult[] = [];
    for (const source of ends) {
      for (const destination of ends) {
        const { allowed, required } = contractOf(source, destination, apiHasBackends);
        const unknownEnds = source.rules === undefined || destination.rules === undefined
          || (source.layer !== 'Internet' && source.blocks.length === 0) || (destination.layer !== 'Internet' && destination.blocks.length === 0);
        const src = sourceForm(source);
        const forms = destinationForms(source, destination);
        let unknown = unknownEnds;
        const via: PathResult['via'] = [];
        const open = (protocol: 'Tcp' | 'Udp', mode: 'may' | 'must'): Ports => {
          if (unknownEnds) return [];
          let result: Ports | undefined;
          for (const form of forms) {
            const out = source.rules === 'none' || source.rules === undefined
              ? { ports: ALL_PORTS, via: [], unknown: false }
              : evaluate(source.rules, 'outbound', protocol, src, form, vnet, mode);
            const inn = destination.rules === 'none' || destination.rules === undefined
              ? { ports: ALL_PORTS, via: [], unknown: false }
              : evaluate(destination.rules, 'inbound', protocol, src, form, vnet, mode);
            unknown = unknown || out.unknown || inn.unknown;
            const ports = intersect(out.ports, inn.ports);
            if (mode === 'may') {
              for (const v of [...inn.via, ...out.via]) {
                const p = intersect(v.ports, ports);
                if (p.length > 0) via.push({ protocol, ports: p, rule: v.rule });
              }
              result = union(result ?? [], ports);
            } else {
              result = result === undefined ? ports : intersect(result, ports);
            }
          }
          return result ?? [];
        };
        const tcp = open('Tcp', 'may');
        const udp = open('Udp', 'may');
        const tcpAlways = open('Tcp', 'must');
        paths.push({ source, destination, tcp, udp, tcpAlways, via, unknown, contract: allowed, required });
      }
    }
    return { ends, paths };
  });
}

/** Label of an end in findings and tables, e.g. `compute (snet-compute)`. */
export function endLabel(end: LayerEnd): string {
  return end.layer === 'Internet' ? 'Internet' : `${end.layer} (${end.subnetName})`;
}

/** Ports of `path` the contract does not allow, by protocol. */
export function excess(path: PathResult): Array<{ protocol: 'Tcp' | 'Udp'; ports: Ports }> {
  if (path.unknown || path.contract === undefined || path.contract === 'any') return [];
  const out: Array<{ protocol: 'Tcp' | 'Udp'; ports: Ports }> = [];
  const tcp = subtract(path.tcp, path.contract);
  if (tcp.length > 0) out.push({ protocol: 'Tcp', ports: tcp });
  if (path.udp.length > 0) out.push({ protocol: 'Udp', ports: path.udp });
  return out;
}

/** Required TCP ports of `path` that are not open to every address. */
export function missing(path: PathResult): Ports {
  if (path.unknown) return [];
  return subtract(path.required, path.tcpAlways);
}

/** The rules (NSG/name, priority) that open `ports` of `protocol` on `path`. */
export function rulesOpening(path: PathResult, protocol: 'Tcp' | 'Udp', ports: Ports): string[] {
  const names = new Set<string>();
  for (const v of path.via) {
    if (v.protocol !== protocol || intersect(v.ports, ports).length === 0) continue;
    names.add(`${v.rule.nsg}/${v.rule.name} (${v.rule.direction}, priority ${v.rule.priority}${v.rule.isDefault ? ', Azure default' : ''})`);
  }
  return [...names];
}


/** One sentence per path and protocol that breaks the contract (only paths `owns` accepts). */
export function describeViolations(paths: PathResult[], owns: (path: PathResult) => boolean = () => true): string[] {
  const out: string[] = [];
  for (const path of paths.filter(owns)) {
    for (const { protocol, ports } of excess(path)) {
      const allowed = path.contract === undefined || path.contract === 'any' ? '' : formatPorts(path.contract);
      out.push(`${endLabel(path.source)} -> ${endLabel(path.destination)}: ${protocol.toUpperCase()} ${formatPorts(ports)} is open `
        + `through ${rulesOpening(path, protocol, ports).join(' and ')}; the layer contract allows ${allowed ? `TCP ${allowed}` : 'nothing'} on this path.`);
    }
  }
  return out;
}

/** One sentence per path whose required ports are not open. */
export function describeBlocked(paths: PathResult[], owns: (path: PathResult) => boolean = () => true): string[] {
  const out: string[] = [];
  for (const path of paths.filter(owns)) {
    const ports = missing(path);
    if (ports.length === 0) continue;
    const nsgs = [path.source.nsg, path.destination.nsg].filter((n): n is PolicyResource => n !== undefined).map((n) => n.config.name ?? n.address);
    out.push(`${endLabel(path.source)} -> ${endLabel(path.destination)}: TCP ${formatPorts(ports)} is required by the layer contract but `
      + 'not open (from every address of the source subnet, or from some Internet clients, to every address the flow carries: '
      + `the subnet, and the public frontend IP from the Internet) in the NSGs ${nsgs.join(', ') || '(none)'}.`);
  }
  return out;
}
