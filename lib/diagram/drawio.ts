import { Box, FONT, GROUP_PAD, Layout, PlacedEdge, groupHeader, layoutTopology } from './layout';
import { TopologyEdgeKind, TopologyGroupKind, TopologyModel } from './model';
import { EDGE_STYLES, NODE_STYLES, groupStyle } from './style';
import { escapeXml, num } from './text';

// draw.io's file format: mxfile > diagram > mxGraphModel > root > mxCell. Groups are container
// vertices (children's geometry relative to their container), edges carry ELK's bend points.

const DRAWIO_FONT = 'Verdana';

/**
 * Renders the model as a draw.io document (uncompressed XML, laid out by ELK).
 *
 * @jsii ignore
 */
export async function renderDrawio(model: TopologyModel): Promise<string> {
  return drawioOf(await layoutTopology(model));
}

/** The draw.io document of a finished layout. */
export function drawioOf(layout: Layout): string {
  const cells: string[] = ['<mxCell id="0"/>', '<mxCell id="1" parent="0"/>'];
  const cellId = new Map<string, string>();
  const boxOf = new Map<string, Box>();
  layout.groups.forEach((g, i) => {
    cellId.set(g.group.id, `group-${i + 1}`);
    boxOf.set(g.group.id, g.box);
  });
  layout.nodes.forEach((n, i) => {
    cellId.set(n.node.id, `node-${i + 1}`);
    boxOf.set(n.node.id, n.box);
  });
  /** Geometry relative to the parent container, as draw.io expects. */
  const geometry = (box: Box, parentId: string | undefined): string => {
    const parent = parentId !== undefined ? boxOf.get(parentId) : undefined;
    return `<mxGeometry x="${num(box.x - (parent?.x ?? 0))}" y="${num(box.y - (parent?.y ?? 0))}" width="${num(box.width)}" height="${num(box.height)}" as="geometry"/>`;
  };
  const parentCell = (parentId: string | undefined) => (parentId !== undefined && cellId.has(parentId) ? cellId.get(parentId)! : '1');

  cells.push(vertex('title', `<b>${html(layout.title)}</b><br><font style="font-size:${FONT.subtitle}px" color="#5c5c5c">${html(layout.subtitle)}</font>`,
    `text;html=1;align=left;verticalAlign=top;whiteSpace=nowrap;fontFamily=${DRAWIO_FONT};fontSize=${FONT.title};fontColor=#1b1b1b;`,
    '1', `<mxGeometry x="${num(layout.titleAt.x)}" y="${num(layout.titleAt.y - FONT.title - 4)}" width="${num(layout.width - 2 * layout.titleAt.x)}" height="50" as="geometry"/>`));

  for (const { group, box } of layout.groups) {
    const style = groupStyle(group);
    const header = groupHeader(group);
    const caption = header.caption ? `<font color="#6b6b6b">${html(header.caption)}</font> ` : '';
    const detail = header.detail ? `<br><font style="font-size:${FONT.groupDetail}px" color="#4d4d4d">${html(header.detail)}</font>` : '';
    const dashed = style.dash ? `dashed=1;dashPattern=${style.dash};` : '';
    const strokeWidth = group.kind === TopologyGroupKind.NETWORK || group.kind === TopologyGroupKind.CLUSTER ? 1.6 : 1.2;
    cells.push(vertex(cellId.get(group.id)!, `${caption}<b>${html(group.label)}</b>${detail}`,
      'rounded=1;arcSize=3;absoluteArcSize=1;html=1;whiteSpace=wrap;container=1;collapsible=0;recursiveResize=0;'
      + `align=left;verticalAlign=top;spacingLeft=${GROUP_PAD.side - 2};spacingTop=${GROUP_PAD.top - 4};`
      + `fillColor=${style.fill};strokeColor=${style.stroke};strokeWidth=${strokeWidth};${dashed}`
      + `fontFamily=${DRAWIO_FONT};fontSize=${FONT.groupName};fontColor=${style.text};`,
      parentCell(group.parentId), geometry(box, group.parentId)));
  }

  for (const { node, box } of layout.nodes) {
    const style = NODE_STYLES[node.kind];
    const details = node.details.map((d) => `<br>${html(d)}`).join('');
    cells.push(vertex(cellId.get(node.id)!,
      `<font style="font-size:${FONT.caption}px" color="${style.accent}">${html(style.caption)}</font><br><b style="font-size:${FONT.name}px">${html(node.label)}</b>${details}`,
      'rounded=1;arcSize=6;absoluteArcSize=1;html=1;whiteSpace=wrap;align=left;verticalAlign=top;spacingLeft=12;spacingTop=2;'
      + `fillColor=${style.fill};strokeColor=${style.accent};strokeWidth=1.3;fontFamily=${DRAWIO_FONT};fontSize=${FONT.detail};fontColor=#1b1b1b;`,
      parentCell(node.groupId), geometry(box, node.groupId)));
  }

  layout.edges.forEach((placed, i) => {
    const source = cellId.get(placed.edge.sourceId);
    const target = cellId.get(placed.edge.targetId);
    if (!source || !target) return;
    cells.push(edgeCell(`edge-${i + 1}`, placed, source, target, boxOf.get(placed.edge.sourceId)!, boxOf.get(placed.edge.targetId)!));
  });

  // The legend: a box with one sample arrow per edge kind.
  const legend = layout.legend;
  cells.push(vertex('legend', '<b>Legend</b>',
    `rounded=1;arcSize=8;absoluteArcSize=1;html=1;whiteSpace=wrap;align=left;verticalAlign=top;spacingLeft=14;spacingTop=6;fillColor=#ffffff;strokeColor=#b0b0b0;fontFamily=${DRAWIO_FONT};fontSize=${FONT.legend + 1};`,
    '1', geometry(legend.box, undefined)));
  legend.entries.forEach((entry, i) => {
    cells.push(`<mxCell id="legend-${i + 1}" value="" style="${escapeXml(edgeStyle(entry.kind))}" edge="1" parent="1">`
      + '<mxGeometry relative="1" as="geometry">'
      + `<mxPoint x="${num(entry.from.x)}" y="${num(entry.from.y)}" as="sourcePoint"/><mxPoint x="${num(entry.to.x)}" y="${num(entry.to.y)}" as="targetPoint"/>`
      + '</mxGeometry></mxCell>');
    cells.push(vertex(`legend-${i + 1}-text`, html(entry.text),
      `text;html=1;align=left;verticalAlign=middle;whiteSpace=nowrap;fontFamily=${DRAWIO_FONT};fontSize=${FONT.legend};fontColor=#1b1b1b;`,
      '1', `<mxGeometry x="${num(entry.to.x + 8)}" y="${num(entry.to.y - 10)}" width="${num(legend.box.x + legend.box.width - entry.to.x - 12)}" height="20" as="geometry"/>`));
  });

  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<mxfile host="cdktf-azure-gateway-mesh" type="device">',
    `<diagram id="topology" name="${escapeXml(layout.title)}">`,
    `<mxGraphModel dx="${layout.width}" dy="${layout.height}" grid="1" gridSize="10" guides="1" tooltips="1" connect="1" arrows="1" fold="1" page="1" pageScale="1" pageWidth="${layout.width}" pageHeight="${layout.height}" math="0" shadow="0">`,
    '<root>',
    ...cells,
    '</root>',
    '</mxGraphModel>',
    '</diagram>',
    '</mxfile>',
    '',
  ].join('\n');
}

function vertex(id: string, value: string, style: string, parent: string, geometry: string): string {
  return `<mxCell id="${escapeXml(id)}" value="${escapeXml(value)}" style="${escapeXml(style)}" vertex="1" parent="${escapeXml(parent)}">${geometry}</mxCell>`;
}

function edgeStyle(kind: TopologyEdgeKind): string {
  const style = EDGE_STYLES[kind];
  const dashed = style.dash ? `dashed=1;dashPattern=${style.dash};` : '';
  return `edgeStyle=orthogonalEdgeStyle;rounded=0;html=1;endArrow=block;endFill=1;strokeColor=${style.stroke};strokeWidth=${style.width};${dashed}`
    + `fontFamily=${DRAWIO_FONT};fontSize=${FONT.edge};fontColor=${style.stroke};labelBackgroundColor=#ffffff;`;
}

/** An edge attached to its nodes where ELK attached it, through ELK's bend points. */
function edgeCell(id: string, placed: PlacedEdge, source: string, target: string, sourceBox: Box, targetBox: Box): string {
  const points = placed.points;
  const anchor = (box: Box, p: { x: number; y: number } | undefined, prefix: string) => {
    if (!p) return '';
    const fx = Math.min(1, Math.max(0, (p.x - box.x) / box.width));
    const fy = Math.min(1, Math.max(0, (p.y - box.y) / box.height));
    return `${prefix}X=${Math.round(fx * 1000) / 1000};${prefix}Y=${Math.round(fy * 1000) / 1000};${prefix}Dx=0;${prefix}Dy=0;`;
  };
  const style = `${edgeStyle(placed.edge.kind)}${anchor(sourceBox, points[0], 'exit')}${anchor(targetBox, points[points.length - 1], 'entry')}`;
  const waypoints = points.slice(1, -1).map((p) => `<mxPoint x="${num(p.x)}" y="${num(p.y)}"/>`).join('');
  return `<mxCell id="${id}" value="${escapeXml(html(placed.label ?? ''))}" style="${escapeXml(style)}" edge="1" parent="1" source="${escapeXml(source)}" target="${escapeXml(target)}">`
    + `<mxGeometry relative="1" as="geometry">${waypoints ? `<Array as="points">${waypoints}</Array>` : ''}</mxGeometry></mxCell>`;
}

/** Text inside an html=1 label (escaped as HTML, then again as the attribute holding it). */
function html(text: string): string {
  return escapeXml(text);
}
