/**
 * Server-side rendering of a {@linkcode FigureSpec} to SVG or PNG.
 *
 * @module
 */

import * as Plot from "../_deps/plot.ts";
import type { PlotOptions } from "../_deps/plot.ts";
import { parseHTML } from "../_deps/linkedom.ts";
import { PNG_DEFAULTS, rasterizeSvg } from "./_rasterize.ts";
import { checkNumber, checkObject, showValue } from "../_validate.ts";
import { escapeXml, textWidth, wrapText } from "./_text.ts";
import type { FigureSpec, LegendItem, LegendSpec } from "./types.ts";

/** Options for {@linkcode render}. */
export interface RenderOptions {
  /**
   * `"svg"` returns the SVG text; `"png"` rasterises it with resvg and the
   * DejaVu fonts.
   *
   * @default {"svg"}
   */
  format?: "svg" | "png";
  /**
   * PNG pixels per CSS pixel (2 gives print-size sharpness).
   *
   * @default {2}
   */
  scale?: number;
  /**
   * Folders with the TrueType fonts for the PNG.
   *
   * @default {["/usr/share/fonts/truetype/dejavu"]}
   */
  fontDirs?: string[];
  /**
   * The font family used for text, in the SVG and the PNG.
   *
   * @default {"DejaVu Sans"}
   */
  fontFamily?: string;
}

/** What {@linkcode render} returns: SVG text or PNG bytes, by format. */
export type RenderResult<F extends "svg" | "png"> = F extends "png" ? Uint8Array : string;

const TITLE_PIXELS = 16;
const SUBTITLE_PIXELS = 12;
const LEGEND_PIXELS = 11;
const CAPTION_PIXELS = 11;
const MARGIN = 12;

/**
 * Renders a figure without a browser: each panel through Observable Plot on
 * a linkedom document, then one SVG with the title, subtitle and legend at
 * the top, the panels stacked below, and the caption at the bottom. The
 * legend and caption are drawn as SVG (not HTML), so they survive into the
 * PNG. PNG output uses resvg with the DejaVu fonts (Debian
 * `fonts-dejavu-core`); Deno needs `--allow-ffi` and `--allow-read` for it.
 *
 * Cost: linear in the number of marks; a PNG of a 1100 × 900 figure at scale
 * 2 takes a fraction of a second.
 *
 * @param figure The figure to draw.
 * @param options The format, PNG scale and fonts.
 * @returns The SVG text (format "svg") or the PNG bytes (format "png").
 * @throws {TypeError} If the figure or an option has the wrong type.
 * @throws {RangeError} If the scale is not positive or the format unknown.
 *
 * @example Render a one-panel figure to SVG
 * ```ts
 * import * as Plot from "npm:@observablehq/plot@0.6.17";
 * import { render } from "./render.ts";
 * import assert from "node:assert/strict";
 * const svg = render({
 *   title: "A line",
 *   subtitle: "y = 2x",
 *   caption: "Made up for the example.",
 *   legends: [{ label: "Series", items: [{ label: "2x", color: "black", symbol: "line" }] }],
 *   panels: [{
 *     name: "main",
 *     plot: { width: 400, height: 200, marks: [Plot.line([[0, 0], [1, 2]])] },
 *   }],
 *   widthPixels: 400,
 * });
 * assert.ok(svg.startsWith("<svg"));
 * assert.ok(svg.includes("A line"));
 * ```
 */
export function render<F extends "svg" | "png" = "svg">(
  figure: FigureSpec,
  options: RenderOptions & { format?: F } = {},
): RenderResult<F> {
  checkObject("render", "figure", figure);
  const record = checkObject("render", "options", options);
  const {
    format = "svg",
    scale = PNG_DEFAULTS.scale,
    fontDirs = [...PNG_DEFAULTS.fontDirs],
    fontFamily = PNG_DEFAULTS.fontFamily,
  } = record as RenderOptions;
  if (format !== "svg" && format !== "png") {
    throw new RangeError(
      `render: invalid option "format", expected "svg" or "png" (got ${showValue(format)})`,
    );
  }
  checkNumber("render", "option", "scale", scale, "positive");
  if (!Array.isArray(figure.panels) || figure.panels.length === 0) {
    throw new TypeError(
      `render: invalid figure "panels", expected a non-empty array (got ${
        showValue(figure.panels)
      })`,
    );
  }
  checkNumber("render", "input", "widthPixels", figure.widthPixels, "positive", "pixels");
  const svg = composeSvg(figure, fontFamily);
  if (format === "svg") return svg as RenderResult<F>;
  return rasterizeSvg(svg, { scale, fontDirs, fontFamily }) as RenderResult<F>;
}

function composeSvg(figure: FigureSpec, fontFamily: string): string {
  const width = figure.widthPixels;
  const parts: string[] = [];
  let y = MARGIN;
  // Title and subtitle.
  for (const line of wrapText(figure.title, width - 2 * MARGIN, TITLE_PIXELS)) {
    y += TITLE_PIXELS * 1.25;
    parts.push(
      `<text x="${MARGIN}" y="${y}" font-size="${TITLE_PIXELS}" font-weight="bold">${
        escapeXml(line)
      }</text>`,
    );
  }
  if (figure.subtitle) {
    for (const line of wrapText(figure.subtitle, width - 2 * MARGIN, SUBTITLE_PIXELS)) {
      y += SUBTITLE_PIXELS * 1.35;
      parts.push(
        `<text x="${MARGIN}" y="${y}" font-size="${SUBTITLE_PIXELS}" fill="#333">${
          escapeXml(line)
        }</text>`,
      );
    }
  }
  y += 6;
  for (const legend of figure.legends) {
    const drawn = drawLegend(legend, MARGIN, y, width - 2 * MARGIN);
    parts.push(drawn.svg);
    y = drawn.bottom;
  }
  y += 4;
  // Panels, drawn by Plot on a linkedom document.
  const { document } = parseHTML("<!doctype html><html><body></body></html>") as unknown as {
    document: PlotOptions["document"];
  };
  for (const panel of figure.panels) {
    const node = Plot.plot({
      ...panel.plot,
      width: panel.plot.width ?? width,
      document,
    } as PlotOptions) as unknown as {
      tagName: string;
      outerHTML: string;
      getAttribute(name: string): string;
    };
    if (node.tagName.toLowerCase() !== "svg") {
      throw new TypeError(
        `render: invalid panel "${panel.name}", expected Plot options without title, caption or legend (got a <${node.tagName.toLowerCase()}>)`,
      );
    }
    const panelHeight = Number(node.getAttribute("height"));
    const inner = node.outerHTML
      .replace(/^<svg /, `<svg x="0" y="${y}" `)
      .replace(/font-family="[^"]*"/, `font-family="${escapeXml(fontFamily)}, sans-serif"`);
    parts.push(inner);
    y += panelHeight;
  }
  // Caption.
  y += 6;
  for (const line of wrapText(figure.caption, width - 2 * MARGIN, CAPTION_PIXELS)) {
    y += CAPTION_PIXELS * 1.4;
    parts.push(
      `<text x="${MARGIN}" y="${y}" font-size="${CAPTION_PIXELS}" fill="#222">${
        escapeXml(line)
      }</text>`,
    );
  }
  y += MARGIN;
  const height = Math.ceil(y);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${
    escapeXml(fontFamily)
  }, sans-serif" role="img" aria-label="${escapeXml(figure.title)}">` +
    `<title>${escapeXml(figure.title)}</title>` +
    `<desc>${escapeXml(figure.caption)}</desc>` +
    `<rect width="100%" height="100%" fill="white"/>` +
    renumberMarkers(parts.join("")) +
    `</svg>`;
}

/**
 * Observable Plot numbers its markers across every plot drawn in the process;
 * numbered from 1 per figure instead, a figure's SVG is the same whatever was
 * drawn before it (the same image: only the ids change).
 */
function renumberMarkers(svg: string): string {
  const ids = new Map<string, number>();
  return svg.replace(/plot-marker-\d+/g, (id) => {
    let n = ids.get(id);
    if (n === undefined) ids.set(id, n = ids.size + 1);
    return `plot-marker-${n}`;
  });
}

function drawLegend(
  legend: LegendSpec,
  x0: number,
  top: number,
  maxWidth: number,
): { svg: string; bottom: number } {
  const rowHeight = LEGEND_PIXELS * 1.7;
  const out: string[] = [];
  let x = x0;
  let y = top + rowHeight / 2;
  out.push(
    `<text x="${x}" y="${y}" dy="0.35em" font-size="${LEGEND_PIXELS}" font-weight="bold">${
      escapeXml(legend.label)
    }</text>`,
  );
  x += textWidth(legend.label, LEGEND_PIXELS, true) + 10;
  const indent = x;
  for (const item of legend.items) {
    const itemWidth = 22 + textWidth(item.label, LEGEND_PIXELS) + 14;
    if (x + itemWidth > x0 + maxWidth && x > indent) {
      x = indent;
      y += rowHeight;
    }
    out.push(drawSymbol(item, x + 8, y));
    out.push(
      `<text x="${x + 20}" y="${y}" dy="0.35em" font-size="${LEGEND_PIXELS}">${
        escapeXml(item.label)
      }</text>`,
    );
    x += itemWidth;
  }
  return {
    svg: `<g aria-label="legend ${escapeXml(legend.label)}">${out.join("")}</g>`,
    bottom: y + rowHeight / 2,
  };
}

function drawSymbol(item: LegendItem, cx: number, cy: number): string {
  const color = escapeXml(item.color);
  switch (item.symbol) {
    case "dot":
      return `<circle cx="${cx}" cy="${cy}" r="3.5" fill="${color}" stroke="${color}"/>`;
    case "ring":
      return `<circle cx="${cx}" cy="${cy}" r="4.5" fill="white" stroke="${color}" stroke-width="1.6"/>`;
    case "square":
      return `<rect x="${cx - 6}" y="${
        cy - 6
      }" width="12" height="12" fill="${color}" stroke="#888" stroke-width="0.5"/>`;
    case "line":
      return `<line x1="${cx - 9}" x2="${
        cx + 9
      }" y1="${cy}" y2="${cy}" stroke="${color}" stroke-width="2"/>`;
    case "range":
      return `<line x1="${cx}" x2="${cx}" y1="${cy - 6}" y2="${
        cy + 6
      }" stroke="${color}" stroke-width="1.5"/>` +
        `<circle cx="${cx}" cy="${cy}" r="3" fill="${color}"/>`;
    case "triangle":
      return `<path d="M${cx},${cy - 5}L${cx + 5},${cy + 4}L${cx - 5},${
        cy + 4
      }Z" fill="white" stroke="${color}" stroke-width="1.5"/>`;
    case "diamond":
      return `<path d="M${cx},${cy - 5}L${cx + 5},${cy}L${cx},${cy + 5}L${
        cx - 5
      },${cy}Z" fill="white" stroke="${color}" stroke-width="1.2"/>`;
    case "cross":
      return `<path d="M${cx - 4},${cy - 4}L${cx + 4},${cy + 4}M${cx - 4},${cy + 4}L${cx + 4},${
        cy - 4
      }" stroke="${color}" stroke-width="2"/>`;
  }
}
