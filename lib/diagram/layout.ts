import type ELKType from 'elkjs';
import type { ElkExtendedEdge, ElkNode } from 'elkjs';
import { TopologyEdge, TopologyEdgeKind, TopologyGroup, TopologyGroupKind, TopologyModel, TopologyNode } from './model';
import { EDGE_STYLES, NODE_STYLES, groupStyle } from './style';
import { textWidth } from './text';

// Lays the model out with ELK's layered algorithm (hierarchy included, orthogonal edges), then
// places the shared services and the legend in a row below. Coordinates are absolute.

export interface Box { readonly x: number; readonly y: number; readonly width: number; readonly height: number }
export interface Point { readonly x: number; readonly y: number }

export interface PlacedGroup { readonly group: TopologyGroup; readonly box: Box; readonly depth: number }
export interface PlacedNode { readonly node: TopologyNode; readonly box: Box }
export interface PlacedEdge {
  readonly edge: TopologyEdge;
  readonly points: Point[];
  /** Text shown on the edge. */
  readonly label?: string;
  readonly labelBox?: Box;
}
export interface LegendEntry { readonly kind: TopologyEdgeKind; readonly text: string; readonly from: Point; readonly to: Point }
export interface Legend { readonly box: Box; readonly entries: LegendEntry[]; readonly title: Point }

export interface Layout {
  readonly width: number;
  readonly height: number;
  readonly title: string;
  readonly titleAt: Point;
  readonly subtitle: string;
  readonly subtitleAt: Point;
  readonly groups: PlacedGroup[];
  readonly nodes: PlacedNode[];
  readonly edges: PlacedEdge[];
  readonly legend: Legend;
}

// Typography (pixels), shared by the renderers.
export const FONT = {
  title: 20,
  subtitle: 12,
  caption: 11,
  name: 14,
  detail: 12,
  groupName: 13,
  groupDetail: 11,
  edge: 11,
  legend: 12,
};
export const NODE_PAD = { left: 16, right: 12, top: 9, bottom: 9 };
export const NODE_LINES = { caption: 15, name: 19, detail: 16 };
export const GROUP_PAD = { side: 14, top: 9, name: 18, detail: 15, gap: 10 };
const MIN_NODE_WIDTH = 170;
const MARGIN = 24;
const TITLE_BLOCK = 58;

export function nodeSize(node: TopologyNode): { width: number; height: number } {
  const style = NODE_STYLES[node.kind];
  const widths = [
    textWidth(style.caption, FONT.caption),
    textWidth(node.label, FONT.name, true),
    ...node.details.map((d) => textWidth(d, FONT.detail)),
  ];
  const width = Math.max(MIN_NODE_WIDTH, Math.max(...widths) + NODE_PAD.left + NODE_PAD.right);
  const height = NODE_PAD.top + NODE_LINES.caption + NODE_LINES.name + NODE_LINES.detail * node.details.length + NODE_PAD.bottom;
  return { width, height };
}

/** Header line 1: caption + name; line 2: details joined. */
export function groupHeader(group: TopologyGroup): { caption: string; detail: string; width: number; height: number } {
  const caption = groupStyle(group).caption;
  const detail = group.details.join(' · ');
  const line1 = (caption ? textWidth(`${caption} `, FONT.groupName) : 0) + textWidth(group.label, FONT.groupName, true);
  const width = Math.max(line1, detail ? textWidth(detail, FONT.groupDetail) : 0) + 2 * GROUP_PAD.side;
  const height = GROUP_PAD.top + GROUP_PAD.name + (detail ? GROUP_PAD.detail : 0) + GROUP_PAD.gap;
  return { caption, detail, width, height };
}

const LAYOUT_OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.layered.spacing.nodeNodeBetweenLayers': '56',
  'elk.layered.spacing.edgeNodeBetweenLayers': '24',
  'elk.layered.spacing.edgeEdgeBetweenLayers': '14',
  'elk.spacing.nodeNode': '28',
  'elk.spacing.edgeNode': '20',
  'elk.spacing.edgeEdge': '14',
  'elk.spacing.edgeLabel': '4',
  'elk.spacing.componentComponent': '40',
  'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.layered.crossingMinimization.forceNodeModelOrder': 'false',
  'elk.edgeLabels.placement': 'CENTER',
  'elk.layered.edgeLabels.sideSelection': 'ALWAYS_UP',
  'elk.layered.mergeEdges': 'false',
  'elk.randomSeed': '1',
  'elk.padding': '[top=0,left=0,bottom=0,right=0]',
};

/**
 * The edges drawn: an allowed call that follows a hop of the request path is folded into the
 * request arrow (labelled "allowed"), so the path is not drawn twice.
 */
export function drawnEdges(model: TopologyModel): Array<{ edge: TopologyEdge; label?: string }> {
  const requestPairs = new Set(model.edges.filter((e) => e.kind === TopologyEdgeKind.REQUEST).map((e) => `${e.sourceId}|${e.targetId}`));
  const allowedPairs = new Set(model.edges.filter((e) => e.kind === TopologyEdgeKind.ALLOWED).map((e) => `${e.sourceId}|${e.targetId}`));
  const out: Array<{ edge: TopologyEdge; label?: string }> = [];
  for (const edge of model.edges) {
    const pair = `${edge.sourceId}|${edge.targetId}`;
    if (edge.kind === TopologyEdgeKind.ALLOWED && requestPairs.has(pair)) continue;
    const folded = edge.kind === TopologyEdgeKind.REQUEST && allowedPairs.has(pair);
    const label = [edge.label, folded ? 'allowed' : undefined].filter((s) => s !== undefined).join(' · ');
    out.push({ edge, ...(label ? { label } : {}) });
  }
  return out;
}

/**
 * A model that any renderer can draw, whoever built it: ids unique (the first wins), parents
 * that exist and form no cycle, groups listed parents first, edges between known boxes.
 */
export function sanitizeModel(model: TopologyModel): TopologyModel {
  const seen = new Set<string>();
  const unique = <T extends { id: string }>(items: readonly T[] | undefined): T[] =>
    (items ?? []).filter((item) => typeof item?.id === 'string' && !seen.has(item.id) && (seen.add(item.id), true));
  const groupList = unique(model.groups);
  const nodeList = unique(model.nodes);
  const byId = new Map(groupList.map((g) => [g.id, g]));
  const depth = new Map<string, number>();
  const parentOf = (g: TopologyGroup): string | undefined => {
    // Walk up; a missing parent or a cycle makes the group top-level.
    const visited = new Set<string>([g.id]);
    let current = g.parentId;
    while (current !== undefined) {
      if (!byId.has(current) || visited.has(current)) return undefined;
      visited.add(current);
      current = byId.get(current)!.parentId;
    }
    return g.parentId;
  };
  const groups: TopologyGroup[] = groupList.map((g) => {
    const parentId = parentOf(g);
    const copy: TopologyGroup = {
      id: g.id,
      kind: g.kind,
      label: g.label,
      details: g.details ?? [],
      ...(g.constructPath !== undefined ? { constructPath: g.constructPath } : {}),
    };
    return parentId !== undefined ? { ...copy, parentId } : copy;
  });
  const fixed = new Map(groups.map((g) => [g.id, g]));
  const depthOf = (id: string): number => {
    if (!depth.has(id)) {
      const parent = fixed.get(id)?.parentId;
      depth.set(id, parent === undefined ? 0 : depthOf(parent) + 1);
    }
    return depth.get(id)!;
  };
  const ordered = groups.map((g, i) => ({ g, i })).sort((a, b) => depthOf(a.g.id) - depthOf(b.g.id) || a.i - b.i).map(({ g }) => g);
  const nodes: TopologyNode[] = nodeList.map((n) => {
    const copy: TopologyNode = {
      id: n.id,
      kind: n.kind,
      label: n.label,
      details: n.details ?? [],
      ...(n.constructPath !== undefined ? { constructPath: n.constructPath } : {}),
    };
    return n.groupId !== undefined && fixed.has(n.groupId) ? { ...copy, groupId: n.groupId } : copy;
  });
  const boxes = new Set([...ordered.map((g) => g.id), ...nodes.map((n) => n.id)]);
  const edgeIds = new Set<string>();
  const edges = (model.edges ?? []).filter((e) => boxes.has(e.sourceId) && boxes.has(e.targetId) && e.sourceId !== e.targetId
    && typeof e.id === 'string' && !edgeIds.has(e.id) && !seen.has(e.id) && (edgeIds.add(e.id), true));
  return { title: model.title ?? '', groups: ordered, nodes, edges };
}

/** Lays out the model (asynchronous: ELK runs its layout in a promise). */
export async function layoutTopology(input: TopologyModel): Promise<Layout> {
  const model = sanitizeModel(input);
  // Shared services and the observability plane sit in the row below the request path.
  const belowPath = [TopologyGroupKind.SHARED, TopologyGroupKind.OBSERVABILITY];
  const shared = new Set(model.groups.filter((g) => belowPath.includes(g.kind)).map((g) => g.id));
  const inShared = (groupId: string | undefined): boolean => {
    let current = groupId;
    while (current !== undefined) {
      if (shared.has(current)) return true;
      current = model.groups.find((g) => g.id === current)?.parentId;
    }
    return false;
  };

  // ---- the main graph: everything but the shared services
  const elkNodes = new Map<string, ElkNode>();
  const root: ElkNode = { id: '#root', layoutOptions: LAYOUT_OPTIONS, children: [], edges: [] };
  const containerOf = (groupId: string | undefined): ElkNode => (groupId !== undefined ? elkNodes.get(groupId) ?? root : root);
  for (const group of model.groups) {
    if (inShared(group.id)) continue;
    const header = groupHeader(group);
    const elkGroup: ElkNode = {
      id: group.id,
      children: [],
      layoutOptions: {
        'elk.padding': `[top=${header.height},left=${GROUP_PAD.side},bottom=${GROUP_PAD.side},right=${GROUP_PAD.side}]`,
        'elk.nodeSize.constraints': 'MINIMUM_SIZE',
        'elk.nodeSize.minimum': `(${header.width},${header.height + 24})`,
      },
    };
    elkNodes.set(group.id, elkGroup);
    containerOf(group.parentId).children!.push(elkGroup);
  }
  for (const node of model.nodes) {
    if (inShared(node.groupId)) continue;
    const size = nodeSize(node);
    const elkNode: ElkNode = { id: node.id, width: size.width, height: size.height };
    elkNodes.set(node.id, elkNode);
    containerOf(node.groupId).children!.push(elkNode);
  }
  const drawn = drawnEdges(model).filter(({ edge }) => elkNodes.has(edge.sourceId) && elkNodes.has(edge.targetId));
  for (const { edge, label } of drawn) {
    const elkEdge: ElkExtendedEdge = { id: edge.id, sources: [edge.sourceId], targets: [edge.targetId] };
    if (label) elkEdge.labels = [{ id: `${edge.id}#label`, text: label, width: textWidth(label, FONT.edge) + 8, height: FONT.edge + 6 }];
    root.edges!.push(elkEdge);
  }

  // Loaded on first use: ELK is 1.6 MB of compiled Java, which an app that only synthesizes
  // (every `cdktf synth` and `cdktf deploy`) should not pay for.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ELK: typeof ELKType = require('elkjs');
  const elk = new ELK();
  const laid = await elk.layout(root);

  // Absolute positions: ELK's are relative to the parent node (edges: to their container).
  const absolute = new Map<string, Box>();
  const walk = (node: ElkNode, dx: number, dy: number) => {
    for (const child of node.children ?? []) {
      const box = { x: dx + (child.x ?? 0), y: dy + (child.y ?? 0), width: child.width ?? 0, height: child.height ?? 0 };
      absolute.set(child.id, box);
      walk(child, box.x, box.y);
    }
  };
  walk(laid, 0, 0);
  const mainWidth = laid.width ?? 0;
  const mainHeight = laid.height ?? 0;

  const top = MARGIN + TITLE_BLOCK;
  const shift = (box: Box): Box => ({ x: box.x + MARGIN, y: box.y + top, width: box.width, height: box.height });
  const depthOf = (group: TopologyGroup): number => {
    let depth = 0;
    let parent = group.parentId;
    while (parent !== undefined) {
      depth++;
      parent = model.groups.find((g) => g.id === parent)?.parentId;
    }
    return depth;
  };
  const groups: PlacedGroup[] = [];
  const nodes: PlacedNode[] = [];
  for (const group of model.groups) {
    const box = absolute.get(group.id);
    if (box) groups.push({ group, box: shift(box), depth: depthOf(group) });
  }
  for (const node of model.nodes) {
    const box = absolute.get(node.id);
    if (box) nodes.push({ node, box: shift(box) });
  }
  const edges: PlacedEdge[] = [];
  for (const elkEdge of laid.edges ?? []) {
    const extended = elkEdge as ElkExtendedEdge & { container?: string };
    const offset = extended.container && extended.container !== '#root' ? absolute.get(extended.container) : undefined;
    const ox = (offset?.x ?? 0) + MARGIN;
    const oy = (offset?.y ?? 0) + top;
    const points: Point[] = [];
    for (const section of extended.sections ?? []) {
      for (const p of [section.startPoint, ...(section.bendPoints ?? []), section.endPoint]) points.push({ x: p.x + ox, y: p.y + oy });
    }
    const drawnEdge = drawn.find((d) => d.edge.id === extended.id)!;
    const label = extended.labels?.[0];
    edges.push({
      edge: drawnEdge.edge,
      points: simplify(points),
      ...(drawnEdge.label ? { label: drawnEdge.label } : {}),
      ...(label && drawnEdge.label
        ? { labelBox: { x: (label.x ?? 0) + ox, y: (label.y ?? 0) + oy, width: label.width ?? 0, height: label.height ?? 0 } }
        : {}),
    });
  }

  // ---- the row below: shared services, then the legend
  let x = MARGIN;
  const rowTop = top + mainHeight + (mainHeight > 0 ? 36 : 0);
  let rowHeight = 0;
  for (const group of model.groups.filter((g) => shared.has(g.id))) {
    const header = groupHeader(group);
    const members = model.nodes.filter((n) => n.groupId === group.id);
    let nx = x + GROUP_PAD.side;
    let innerHeight = 0;
    for (const node of members) {
      const size = nodeSize(node);
      nodes.push({ node, box: { x: nx, y: rowTop + header.height, width: size.width, height: size.height } });
      nx += size.width + 20;
      innerHeight = Math.max(innerHeight, size.height);
    }
    const width = Math.max(header.width, nx - 20 - x + GROUP_PAD.side);
    const height = header.height + innerHeight + GROUP_PAD.side;
    groups.push({ group, box: { x, y: rowTop, width, height }, depth: 0 });
    x += width + 36;
    rowHeight = Math.max(rowHeight, height);
  }
  const legendEntries = [TopologyEdgeKind.REQUEST, TopologyEdgeKind.ALLOWED];
  const legendWidth = 16 + 56 + 10 + Math.max(...legendEntries.map((k) => textWidth(EDGE_STYLES[k].legend, FONT.legend))) + 16;
  const legendHeight = 34 + legendEntries.length * 24 + 6;
  const legendBox: Box = { x, y: rowTop, width: legendWidth, height: legendHeight };
  const legend: Legend = {
    box: legendBox,
    title: { x: x + 16, y: rowTop + 22 },
    entries: legendEntries.map((kind, i) => ({
      kind,
      text: EDGE_STYLES[kind].legend,
      from: { x: x + 16, y: rowTop + 44 + i * 24 },
      to: { x: x + 16 + 56, y: rowTop + 44 + i * 24 },
    })),
  };
  rowHeight = Math.max(rowHeight, legendHeight);

  const width = Math.ceil(Math.max(MARGIN + mainWidth, x + legendWidth) + MARGIN);
  const height = Math.ceil(rowTop + rowHeight + MARGIN);
  return {
    width,
    height,
    title: model.title,
    titleAt: { x: MARGIN, y: MARGIN + FONT.title },
    subtitle: 'Generated from the construct tree: layers, subnets (with NSGs), the request path and the calls Istio allows.',
    subtitleAt: { x: MARGIN, y: MARGIN + FONT.title + 22 },
    groups: groups.sort((a, b) => a.depth - b.depth),
    nodes,
    edges,
    legend,
  };
}

/** Drops repeated points and points in the middle of straight runs. */
function simplify(points: Point[]): Point[] {
  const out: Point[] = [];
  for (const p of points) {
    const last = out[out.length - 1];
    if (last && Math.abs(last.x - p.x) < 0.01 && Math.abs(last.y - p.y) < 0.01) continue;
    const before = out[out.length - 2];
    if (before && last && ((Math.abs(before.x - last.x) < 0.01 && Math.abs(last.x - p.x) < 0.01)
      || (Math.abs(before.y - last.y) < 0.01 && Math.abs(last.y - p.y) < 0.01))) {
      out[out.length - 1] = p;
      continue;
    }
    out.push(p);
  }
  return out;
}
