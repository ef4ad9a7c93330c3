import { IConstruct } from 'constructs';
import { PolicyIndex, ResourceContext } from './private/context';
import { PathResult, describeBlocked, describeViolations, endLabel, formatPorts, reachability, rulesOpening } from './private/reachability';

/** One ordered pair of the reachability matrix. */
export interface ReachabilityPath {
  /** `Internet`, or a layer and its subnet, e.g. `edge (snet-edge)`. */
  readonly source: string;
  /** Same form as `source`. */
  readonly destination: string;
  /** TCP ports open for some address of the source: `443`, `80, 443`, `any`, or empty for none. */
  readonly tcpPorts: string;
  /** UDP ports open, same form. */
  readonly udpPorts: string;
  /** What the layer contract allows on the path: `TCP 443`, `nothing`, `any` (outbound Internet) or `same subnet`. */
  readonly contract: string;
  /** The NSG rules that open the ports (`<nsg>/<rule> (direction, priority)`). */
  readonly openedBy: string[];
  /** False when an NSG rule of the path is only known at plan time (the path is then not judged). */
  readonly determined: boolean;
}

/** The reachability of the layers of an app, as Azure evaluates its NSGs. */
export interface ReachabilityMatrix {
  /** The ends, in order: `Internet`, then the edge, API and compute layers found in the app. */
  readonly ends: string[];
  /** Every ordered pair of ends. */
  readonly paths: ReachabilityPath[];
  /** Paths open beyond the layer contract: source, destination, protocol, ports and the rules that open them. */
  readonly violations: string[];
  /** Paths the contract requires that are not open. */
  readonly blocked: string[];
}

/**
 * Reachability analysis of the layer subnets (and the Internet): the NSG rules of each subnet, with
 * Azure's default rules, evaluated by priority, service tag, address prefix and port range, for
 * every ordered pair of ends. The layers are found from what runs in them (Application Gateway, API
 * Management, AKS nodes). The policy pack's AGM-NET-001 and AGM-NET-002 fail synthesis on what this
 * reports as violations and blocked paths.
 */
export class NetworkReachability {
  /** Analyses the app that `scope` belongs to (call it after the app's constructs are created). */
  public static analyze(scope: IConstruct): ReachabilityMatrix {
    const index = new PolicyIndex(scope.node.root);
    const context = new ResourceContext(index, { type: '', address: '', path: '', config: {} });
    const { ends, paths } = reachability(context);
    return {
      ends: ends.map(endLabel),
      paths: paths.map(toPath),
      violations: describeViolations(paths),
      blocked: describeBlocked(paths),
    };
  }

  /** The matrix as a Markdown table: sources as rows, destinations as columns, open ports in the cells. */
  public static renderTable(matrix: ReachabilityMatrix): string {
    const cell = (p: ReachabilityPath | undefined): string => {
      if (!p) return '';
      if (p.contract === 'same subnet') return p.source === 'Internet' ? '—' : '(same subnet)';
      if (!p.determined) return 'not determined';
      const parts = [p.tcpPorts ? `TCP ${p.tcpPorts}` : '', p.udpPorts ? `UDP ${p.udpPorts}` : ''].filter(Boolean);
      return parts.length > 0 ? parts.join('; ') : 'none';
    };
    const lines = [
      `| from \\ to | ${matrix.ends.join(' | ')} |`,
      `| --- | ${matrix.ends.map(() => '---').join(' | ')} |`,
      ...matrix.ends.map((from) => `| ${from} | ${matrix.ends.map((to) => cell(matrix.paths.find((p) => p.source === from && p.destination === to))).join(' | ')} |`),
    ];
    return `${lines.join('\n')}\n`;
  }
}

function toPath(path: PathResult): ReachabilityPath {
  const contract = path.contract === undefined ? 'same subnet'
    : path.contract === 'any' ? 'any'
      : path.contract.length === 0 ? 'nothing' : `TCP ${formatPorts(path.contract)}`;
  return {
    source: endLabel(path.source),
    destination: endLabel(path.destination),
    tcpPorts: formatPorts(path.tcp),
    udpPorts: formatPorts(path.udp),
    contract,
    openedBy: [...new Set([...rulesOpening(path, 'Tcp', path.tcp), ...rulesOpening(path, 'Udp', path.udp)])],
    determined: !path.unknown,
  };
}
