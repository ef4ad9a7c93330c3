import { FONT, GROUP_PAD, Layout, NODE_LINES, NODE_PAD, PlacedEdge, PlacedGroup, PlacedNode, Point, groupHeader, layoutTopology } from './layout';
import { TopologyEdgeKind, TopologyGroupKind, TopologyModel } from './model';
import { EDGE_STYLES, NODE_STYLES, groupStyle } from './style';
import { FONT_FAMILY, escapeXml, num, textWidth } from './text';

/**
 * Renders the model as an SVG document (laid out by ELK).
 *
 * @jsii ignore
 */
export async function renderSvg(model: TopologyModel): Promise<string> {
  return svgOf(await layoutTopology(model));
}

/** The SVG of a finished layout. */
export function svgOf(layout: Layout): string {
  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}" font-family="${escapeXml(FONT_FAMILY)}" role="img" aria-labelledby="diagram-title">`);
  out.push(`<title id="diagram-title">${escapeXml(layout.title)}</title>`);
  out.push('<defs>');
  for (const kind of [TopologyEdgeKind.REQUEST, TopologyEdgeKind.ALLOWED]) {
    const size = kind === TopologyEdgeKind.REQUEST ? 12 : 10;
    out.push(`<marker id="arrow-${kind}" viewBox="0 0 10 10" refX="9.5" refY="5" markerWidth="${size}" markerHeight="${size}" markerUnits="userSpaceOnUse" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="${EDGE_STYLES[kind].stroke}"/></marker>`);
  }
  out.push('</defs>');
  out.push(`<rect x="0" y="0" width="${layout.width}" height="${layout.height}" fill="#ffffff"/>`);
  out.push(`<text x="${num(layout.titleAt.x)}" y="${num(layout.titleAt.y)}" font-size="${FONT.title}" font-weight="bold" fill="#1b1b1b">${escapeXml(layout.title)}</text>`);
  out.push(`<text x="${num(layout.subtitleAt.x)}" y="${num(layout.subtitleAt.y)}" font-size="${FONT.subtitle}" fill="#5c5c5c">${escapeXml(layout.subtitle)}</text>`);

  out.push('<g class="groups">');
  layout.groups.forEach((g) => out.push(groupSvg(g)));
  out.push('</g>');
  out.push('<g class="nodes">');
  layout.nodes.forEach((n) => out.push(nodeSvg(n)));
  out.push('</g>');
  // Allowed calls below the request path, so the path stays on top where they cross.
  const ordered = [
    ...layout.edges.filter((e) => e.edge.kind === TopologyEdgeKind.ALLOWED),
    ...layout.edges.filter((e) => e.edge.kind === TopologyEdgeKind.REQUEST),
  ];
  out.push('<g class="edges">');
  ordered.forEach((e) => out.push(edgeSvg(e)));
  out.push('</g>');
  out.push('<g class="edge-labels">');
  ordered.forEach((e) => out.push(edgeLabelSvg(e)));
  out.push('</g>');
  out.push(legendSvg(layout));
  out.push('</svg>');
  return out.join('\n') + '\n';
}

function groupSvg({ group, box }: PlacedGroup): string {
  const style = groupStyle(group);
  const header = groupHeader(group);
  const parts: string[] = [];
  const dash = style.dash ? ` stroke-dasharray="${style.dash}"` : '';
  const strokeWidth = group.kind === TopologyGroupKind.NETWORK || group.kind === TopologyGroupKind.CLUSTER ? 1.6 : 1.2;
  parts.push(`<g class="group group-${group.kind}" data-id="${escapeXml(group.id)}">`);
  parts.push(`<rect x="${num(box.x)}" y="${num(box.y)}" width="${num(box.width)}" height="${num(box.height)}" rx="8" fill="${style.fill}" stroke="${style.stroke}" stroke-width="${strokeWidth}"${dash}/>`);
  const x = box.x + GROUP_PAD.side;
  const y = box.y + GROUP_PAD.top + FONT.groupName;
  // The name starts after the caption at a computed x: renderers differ on trailing spaces in tspans.
  const nameX = header.caption ? x + textWidth(`${header.caption} `, FONT.groupName) : x;
  const caption = header.caption ? `<tspan fill="#6b6b6b">${escapeXml(header.caption)}</tspan>` : '';
  parts.push(`<text x="${num(x)}" y="${num(y)}" font-size="${FONT.groupName}" fill="${style.text}">${caption}<tspan x="${num(nameX)}" font-weight="bold">${escapeXml(group.label)}</tspan></text>`);
  if (header.detail) {
    parts.push(`<text x="${num(x)}" y="${num(y + GROUP_PAD.detail)}" font-size="${FONT.groupDetail}" fill="${detailColor(group.details)}">${escapeXml(header.detail)}</text>`);
  }
  parts.push('</g>');
  return parts.join('');
}

/** Details that flag a gap (no NSG, no WAF) are drawn in red. */
function detailColor(details: string[]): string {
  return details.some((d) => /^no (NSG|WAF)/.test(d)) ? '#b3261e' : '#4d4d4d';
}

function nodeSvg({ node, box }: PlacedNode): string {
  const style = NODE_STYLES[node.kind];
  const r = 6;
  const { x, y, width: w, height: h } = box;
  const parts: string[] = [];
  parts.push(`<g class="node node-${node.kind}" data-id="${escapeXml(node.id)}">`);
  parts.push(`<rect x="${num(x)}" y="${num(y)}" width="${num(w)}" height="${num(h)}" rx="${r}" fill="${style.fill}" stroke="${style.accent}" stroke-width="1.3"/>`);
  parts.push(`<path d="M${num(x + r)},${num(y)} H${num(x + 6)} V${num(y + h)} H${num(x + r)} A${r},${r} 0 0 1 ${num(x)},${num(y + h - r)} V${num(y + r)} A${r},${r} 0 0 1 ${num(x + r)},${num(y)} Z" fill="${style.accent}"/>`);
  const tx = x + NODE_PAD.left;
  let ty = y + NODE_PAD.top + FONT.caption;
  parts.push(`<text x="${num(tx)}" y="${num(ty)}" font-size="${FONT.caption}" fill="${style.accent}">${escapeXml(style.caption)}</text>`);
  ty += NODE_LINES.name;
  parts.push(`<text x="${num(tx)}" y="${num(ty)}" font-size="${FONT.name}" font-weight="bold" fill="#1b1b1b">${escapeXml(node.label)}</text>`);
  for (const detail of node.details) {
    ty += NODE_LINES.detail;
    parts.push(`<text x="${num(tx)}" y="${num(ty)}" font-size="${FONT.detail}" fill="${detailColor([detail])}">${escapeXml(detail)}</text>`);
  }
  parts.push('</g>');
  return parts.join('');
}

function pathOf(points: Point[]): string {
  return points.map((p, i) => `${i === 0 ? 'M' : 'L'}${num(p.x)},${num(p.y)}`).join(' ');
}

function edgeSvg({ edge, points }: PlacedEdge): string {
  if (points.length < 2) return '';
  const style = EDGE_STYLES[edge.kind];
  const d = pathOf(points);
  const dash = style.dash ? ` stroke-dasharray="${style.dash}"` : '';
  return `<g class="edge edge-${edge.kind}" data-id="${escapeXml(edge.id)}">`
    + `<path d="${d}" fill="none" stroke="#ffffff" stroke-width="${num(style.width + 3)}" stroke-linejoin="round"/>`
    + `<path d="${d}" fill="none" stroke="${style.stroke}" stroke-width="${num(style.width)}" stroke-linejoin="round"${dash} marker-end="url(#arrow-${edge.kind})"/>`
    + '</g>';
}

function edgeLabelSvg({ edge, label, labelBox, points }: PlacedEdge): string {
  if (!label) return '';
  const style = EDGE_STYLES[edge.kind];
  const width = textWidth(label, FONT.edge) + 8;
  const height = FONT.edge + 6;
  // ELK's place for the label, else the middle of the longest segment.
  const at = labelBox ?? midOfLongestSegment(points, width, height);
  return `<g class="edge-label" data-id="${escapeXml(edge.id)}">`
    + `<rect x="${num(at.x)}" y="${num(at.y)}" width="${num(width)}" height="${num(height)}" rx="3" fill="#ffffff" fill-opacity="0.92" stroke="${style.stroke}" stroke-width="0.6"/>`
    + `<text x="${num(at.x + width / 2)}" y="${num(at.y + height - 5)}" font-size="${FONT.edge}" text-anchor="middle" fill="${style.stroke}">${escapeXml(label)}</text>`
    + '</g>';
}

function midOfLongestSegment(points: Point[], width: number, height: number): { x: number; y: number } {
  let best = { x: 0, y: 0, length: -1 };
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1];
    const b = points[i];
    const length = Math.abs(a.x - b.x) + Math.abs(a.y - b.y);
    if (length > best.length) best = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2, length };
  }
  return { x: best.x - width / 2, y: best.y - height / 2 };
}

function legendSvg(layout: Layout): string {
  const { box, entries, title } = layout.legend;
  const parts: string[] = ['<g class="legend">'];
  parts.push(`<rect x="${num(box.x)}" y="${num(box.y)}" width="${num(box.width)}" height="${num(box.height)}" rx="8" fill="#ffffff" stroke="#b0b0b0"/>`);
  parts.push(`<text x="${num(title.x)}" y="${num(title.y)}" font-size="${FONT.legend + 1}" font-weight="bold" fill="#1b1b1b">Legend</text>`);
  for (const entry of entries) {
    const style = EDGE_STYLES[entry.kind];
    const dash = style.dash ? ` stroke-dasharray="${style.dash}"` : '';
    parts.push(`<path d="M${num(entry.from.x)},${num(entry.from.y)} L${num(entry.to.x)},${num(entry.to.y)}" stroke="${style.stroke}" stroke-width="${num(style.width)}"${dash} marker-end="url(#arrow-${entry.kind})"/>`);
    parts.push(`<text x="${num(entry.to.x + 10)}" y="${num(entry.to.y + 4)}" font-size="${FONT.legend}" fill="#1b1b1b">${escapeXml(entry.text)}</text>`);
  }
  parts.push('</g>');
  return parts.join('');
}
