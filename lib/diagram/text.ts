// Text measurement without a browser: advance widths (per 1000 em) of DejaVu Sans, the font
// the diagrams name first (Verdana, the fallback, has near-identical metrics), for ASCII 32-126.
const REGULAR = [
  318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636, 636, 636, 636, 636,
  636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787,
  603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635,
  634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
];
const BOLD = [
  348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696, 696, 696, 696, 696, 696,
  696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683, 683, 821, 837, 372, 372, 775, 637, 995, 837, 850,
  733, 850, 770, 720, 682, 812, 774, 1103, 771, 724, 725, 457, 365, 457, 838, 500, 500, 675, 716, 593, 716, 678, 435, 716,
  712, 343, 343, 665, 343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838,
];
const OTHER: Record<string, [number, number]> = { '·': [318, 380], '→': [838, 838], '…': [1000, 1000] };

/** The font stack the SVG and draw.io output name. */
export const FONT_FAMILY = "'DejaVu Sans', Verdana, Geneva, sans-serif";

/** Width in pixels of one line of text. */
export function textWidth(text: string, fontSize: number, bold = false): number {
  let units = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code >= 32 && code <= 126) units += (bold ? BOLD : REGULAR)[code - 32];
    else units += OTHER[ch]?.[bold ? 1 : 0] ?? 1000;
  }
  return Math.ceil((units * fontSize) / 1000);
}

/** Escapes text for XML content and attribute values: the library's one escaping function. */
export { escapeXml } from '../core/xml';

/** A number as SVG/XML writes it: at most one decimal, no `-0`. */
export function num(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  return Object.is(rounded, -0) ? '0' : String(rounded);
}
