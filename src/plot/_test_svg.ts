// Private, for tests: the tick labels of a rendered figure, read back from its SVG.
import { parseHTML } from "../_deps/linkedom.ts";
import { labelWidth } from "./_log_ticks.ts";

/** The tick labels of one axis of one facet: texts and their positions along the axis, pixels. */
export interface AxisLabels {
  /** The panel's index in the figure, top to bottom. */
  panel: number;
  /** The facet's offset across the axis (y for an x axis, x for a y axis): facets in one row share it. */
  row: number;
  /** The labels, in the order drawn. */
  labels: string[];
  /** Each label's position along the axis (x for an x axis, y for a y axis) in the panel, pixels. */
  positions: number[];
}

interface Node {
  tagName: string;
  textContent: string;
  children: Node[];
  getAttribute(name: string): string | null;
  querySelectorAll(selector: string): Node[];
}

/** translate(x, y) of a node's transform, [0, 0] without one. */
function translate(node: Node): [number, number] {
  const match = /translate\(([-\d.e]+)[ ,]+([-\d.e]+)\)/.exec(node.getAttribute("transform") ?? "");
  return match ? [Number(match[1]), Number(match[2])] : [0, 0];
}

/**
 * Every facet's tick labels of the `axis` axis ("x" or "y") in a figure's
 * SVG, as `render` writes it: Observable Plot draws one group per facet
 * under `aria-label="x-axis tick label"`, each label a `<text>` placed by
 * its transform.
 */
export function axisLabels(svg: string, axis: "x" | "y"): AxisLabels[] {
  const { document } = parseHTML(`<!doctype html><html><body>${svg}</body></html>`) as unknown as {
    document: Node;
  };
  const panels = Array.from(document.querySelectorAll("svg svg"));
  const children = (node: Node, tag: string) =>
    Array.from(node.children).filter((child) => child.tagName.toLowerCase() === tag);
  const out: AxisLabels[] = [];
  panels.forEach((panel, index) => {
    for (const group of panel.querySelectorAll(`g[aria-label="${axis}-axis tick label"]`)) {
      const inner = children(group, "g");
      for (const facet of inner.length > 0 ? inner : [group]) {
        const texts = children(facet, "text");
        const along = axis === "x" ? 0 : 1;
        const offset = facet === group ? [0, 0] : translate(facet);
        out.push({
          panel: index,
          row: offset[1 - along]!,
          labels: texts.map((text) => text.textContent),
          positions: texts.map((text) => offset[along]! + translate(text)[along]),
        });
      }
    }
  });
  return out;
}

/**
 * The pairs of neighbouring labels that overlap: on an x axis, centred
 * labels closer than their half widths (DejaVu Sans digits at Plot's 10 px)
 * plus `gapPixels`; on a y axis, closer than the 10 px font's height.
 */
export function overlaps(axis: AxisLabels, along: "x" | "y", gapPixels = 2): string[] {
  const order = axis.positions.map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0]);
  const found: string[] = [];
  for (let k = 1; k < order.length; k++) {
    const [p, i] = order[k - 1]!;
    const [q, j] = order[k]!;
    const a = axis.labels[i]!;
    const b = axis.labels[j]!;
    const need = along === "x" ? (labelWidth(a) + labelWidth(b)) / 2 + gapPixels : 10;
    if (q - p < need) found.push(`${a} at ${p.toFixed(1)} and ${b} at ${q.toFixed(1)}`);
  }
  return found;
}

/** The facets of one panel and row joined into one axis (to find labels overlapping across facets). */
export function rows(axes: readonly AxisLabels[]): AxisLabels[] {
  const joined = new Map<string, AxisLabels>();
  for (const axis of axes) {
    const key = `${axis.panel}|${axis.row}`;
    const row = joined.get(key) ?? { panel: axis.panel, row: axis.row, labels: [], positions: [] };
    row.labels.push(...axis.labels);
    row.positions.push(...axis.positions);
    joined.set(key, row);
  }
  return [...joined.values()];
}
