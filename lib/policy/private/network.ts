// Network security groups: their rules (inline or azurerm_network_security_rule), the subnets
// they are associated with, and how Azure evaluates them (lowest priority number first, then the
// default rules AllowVnetInBound, AllowAzureLoadBalancerInBound, DenyAllInBound).
import { IPolicyContext, PolicyResource } from '../types';
import { derive } from './context';
import { Json, UNKNOWN, Unknown, blocks, equalsAny, isAbsent, isExpression, num, parsePortRange, referencedAddresses, text, unknownAt } from './values';

/** One security rule, read from either form. */
export interface NsgRuleView {
  readonly name: string;
  readonly priority: number | Unknown;
  readonly direction: string | Unknown;
  readonly access: string | Unknown;
  readonly protocol: string | Unknown;
  readonly sources: string[] | Unknown;
  readonly ports: Array<[number, number]> | Unknown;
}

/** Source values that stand for "anywhere on the Internet". */
const ANYWHERE = ['*', 'any', 'internet', '0.0.0.0/0', '0.0.0.0', '::/0'];

export function ruleView(json: Json): NsgRuleView {
  return {
    name: typeof json.name === 'string' ? json.name : '(unnamed)',
    priority: num(json, 'priority') ?? UNKNOWN,
    direction: text(json, 'direction') ?? UNKNOWN,
    access: text(json, 'access') ?? UNKNOWN,
    protocol: text(json, 'protocol') ?? '*',
    sources: listOf(json, 'source_address_prefix', 'source_address_prefixes'),
    ports: portsOf(json),
  };
}

function listOf(json: Json, single: string, plural: string): string[] | Unknown {
  const out: string[] = [];
  for (const key of [single, plural]) {
    const value = json[key];
    if (isAbsent(value)) continue;
    if (isExpression(value)) return unknownAt(json, key);
    for (const v of Array.isArray(value) ? value : [value]) {
      if (isExpression(v)) return unknownAt(json, key);
      if (typeof v === 'string') out.push(v);
    }
  }
  return out;
}

function portsOf(json: Json): Array<[number, number]> | Unknown {
  const texts = listOf(json, 'destination_port_range', 'destination_port_ranges');
  if (texts === UNKNOWN) return UNKNOWN;
  const out: Array<[number, number]> = [];
  for (const t of texts) {
    const range = parsePortRange(t);
    if (!range) return UNKNOWN;
    out.push(range);
  }
  return out;
}

/** True for an inbound Allow rule open to the whole Internet on `port` over TCP. */
export function opensToInternet(rule: NsgRuleView, port: number): boolean | Unknown {
  if (rule.direction === UNKNOWN || rule.access === UNKNOWN || rule.protocol === UNKNOWN) return UNKNOWN;
  if (!equalsAny(rule.direction, 'Inbound') || !equalsAny(rule.access, 'Allow')) return false;
  if (!equalsAny(rule.protocol, '*', 'Tcp')) return false;
  if (rule.sources === UNKNOWN || rule.ports === UNKNOWN) return UNKNOWN;
  const fromAnywhere = rule.sources.some((s) => equalsAny(s, ...ANYWHERE));
  return fromAnywhere && rule.ports.some(([from, to]) => from <= port && port <= to);
}

/** Rules of an NSG: its inline `security_rule`s plus every azurerm_network_security_rule attached to it. */
export function rulesOfNsg(context: IPolicyContext, nsg: PolicyResource): NsgRuleView[] {
  const standalone = derive(context, 'nsg:standalone-rules', (ctx) => {
    const byNsg = new Map<string, NsgRuleView[]>();
    for (const r of ctx.resourcesOfType('azurerm_network_security_rule')) {
      for (const key of nsgKeysOfRule(r.config)) {
        const list = byNsg.get(key);
        if (list) list.push(ruleView(r.config));
        else byNsg.set(key, [ruleView(r.config)]);
      }
    }
    return byNsg;
  });
  const inline = blocks(nsg.config, 'security_rule').map(ruleView);
  const attached = [
    ...(standalone.get(nsg.address) ?? []),
    ...(typeof nsg.config.name === 'string' && !isExpression(nsg.config.name) ? standalone.get(`name:${nsg.config.name}`) ?? [] : []),
  ];
  return [...inline, ...attached];
}

/** How a standalone rule names its NSG: a reference to the NSG resource, or its literal name. */
function nsgKeysOfRule(config: Json): string[] {
  const name = config.network_security_group_name;
  if (typeof name !== 'string') return [];
  const refs = referencedAddresses(name).filter((a) => a.startsWith('azurerm_network_security_group.'));
  return refs.length > 0 ? refs : isExpression(name) ? [] : [`name:${name}`];
}

/** The NSG associated with a subnet, by the subnet's id expression. 'none' when the app associates none. */
export function nsgOfSubnet(context: IPolicyContext, subnetId: string): PolicyResource | 'none' | 'outside-app' {
  const bySubnet = derive(context, 'nsg:associations', (ctx) => {
    const out = new Map<string, string>();
    for (const a of ctx.resourcesOfType('azurerm_subnet_network_security_group_association')) {
      const subnet = a.config.subnet_id;
      const nsg = a.config.network_security_group_id;
      if (typeof subnet !== 'string' || typeof nsg !== 'string') continue;
      for (const key of subnetKeys(subnet)) out.set(key, nsg);
    }
    return out;
  });
  for (const key of subnetKeys(subnetId)) {
    const nsgId = bySubnet.get(key);
    if (nsgId === undefined) continue;
    return context.findReferenced(nsgId) ?? 'outside-app';
  }
  return 'none';
}

/** Keys a subnet is known by: the subnet resource it references, or the literal id. */
export function subnetKeys(subnetId: string): string[] {
  const refs = referencedAddresses(subnetId).filter((a) => a.startsWith('azurerm_subnet.'));
  return refs.length > 0 ? refs : [subnetId];
}

/** Azure's default inbound rules, evaluated after every custom rule. */
const DEFAULT_INBOUND: NsgRuleView[] = [
  { name: 'AllowVnetInBound', priority: 65000, direction: 'Inbound', access: 'Allow', protocol: '*', sources: ['VirtualNetwork'], ports: [[0, 65535]] },
  { name: 'AllowAzureLoadBalancerInBound', priority: 65001, direction: 'Inbound', access: 'Allow', protocol: '*', sources: ['AzureLoadBalancer'], ports: [[0, 65535]] },
  { name: 'DenyAllInBound', priority: 65500, direction: 'Inbound', access: 'Deny', protocol: '*', sources: ['*'], ports: [[0, 65535]] },
];

/**
 * Whether inbound TCP traffic from a service tag reaches every port of a range:
 * 'allow' when each port's first matching rule allows it, 'deny' when some port is denied,
 * UNKNOWN when a rule that could decide depends on a plan-time value.
 */
export function inboundFromTag(rules: NsgRuleView[], tag: string, fromPort: number, toPort: number): 'allow' | 'deny' | Unknown {
  const inbound = [...rules.filter((r) => r.direction === UNKNOWN || equalsAny(r.direction, 'Inbound')), ...DEFAULT_INBOUND];
  if (inbound.some((r) => r.priority === UNKNOWN)) return UNKNOWN;
  inbound.sort((a, b) => (a.priority as number) - (b.priority as number));
  const sourceMatches = (sources: string[]) => sources.some((s) => equalsAny(s, tag, '*', 'any', '0.0.0.0/0')
    || (!equalsAny(tag, 'AzureLoadBalancer', 'VirtualNetwork') && equalsAny(s, 'Internet')));
  for (let port = fromPort; port <= toPort; port++) {
    let decided = false;
    for (const rule of inbound) {
      if (rule.direction === UNKNOWN || rule.protocol === UNKNOWN || rule.access === UNKNOWN) return UNKNOWN;
      if (rule.sources === UNKNOWN || rule.ports === UNKNOWN) return UNKNOWN;
      if (!equalsAny(rule.protocol, '*', 'Tcp')) continue;
      if (!sourceMatches(rule.sources)) continue;
      if (!rule.ports.some(([from, to]) => from <= port && port <= to)) continue;
      if (!equalsAny(rule.access, 'Allow')) return 'deny';
      decided = true;
      break;
    }
    if (!decided) return 'deny';
  }
  return 'allow';
}
