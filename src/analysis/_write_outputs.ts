// reproduceProject's output step: each figure's SVG composed as soon as the
// figure is drawn and its PNG rasterised on a worker meanwhile (pngPool), so
// that rendering overlaps the fits that follow; then the files written in
// FIGURE_NAMES order, SVG and PNG as listed, and the report.
import { pngPool } from "../plot/png_pool.ts";
import { render } from "../plot/render.ts";
import type { FigureSpec } from "../plot/types.ts";
import type { ReproduceFiguresResult } from "./reproduce_figures.ts";
import type { ReproductionFigureFiles } from "./reproduction_report.ts";

/** Every figure reproduce writes, in the order it writes them. */
export const FIGURE_NAMES = ["fig5", "fig6", "fig3", "fig1", "fig2", "fig4", "noise"] as const;

/** A figure's name. */
export type FigureName = typeof FIGURE_NAMES[number];

/** The figure of `name` in a result, or null when it was not drawn. */
export function figureOf(figures: ReproduceFiguresResult, name: FigureName): FigureSpec | null {
  return name === "fig5" || name === "fig6" || name === "fig3"
    ? figures[name]
    : figures.costFigures[name] ?? null;
}

/** Renders figures as they are drawn and writes them with the report. */
export interface FigureWriter {
  /** Composes the figure's SVG now and queues its PNG (when a PNG file is listed). */
  onFigure(name: FigureName, figure: FigureSpec): void;
  /** Writes each drawn figure's files and the report; returns the paths written. */
  write(
    result: ReproduceFiguresResult & { reportMarkdown: string },
    where: { outDir: string; reportFile: string },
  ): Promise<string[]>;
  /** Stops the PNG worker; safe to call twice. */
  close(): void;
}

/**
 * A writer for `figureFiles`; with `workers: 1` the PNGs are rasterised on a
 * Web Worker, with 0 on this thread when written (the same bytes either way).
 *
 * @param figureFiles The figures' files, relative to the output folder.
 * @param options The PNG workers (0 or 1).
 */
export function figureWriter(
  figureFiles: ReproductionFigureFiles,
  options: { workers: 0 | 1 },
): FigureWriter {
  const pool = pngPool({ workers: options.workers });
  const prepared = new Map<FigureName, { figure: FigureSpec; svg: string }>();
  // Each PNG queued, by its SVG: a figure drawn again the same (e.g. Figure 1, drawn early
  // to be rasterised while the fits run) finds its PNG.
  const pngs = new Map<string, Promise<Uint8Array>>();
  const rendered = (name: FigureName, figure: FigureSpec) => {
    const ready = prepared.get(name);
    if (ready?.figure === figure) return ready;
    const entry = { figure, svg: render(figure) };
    if (
      options.workers === 1 && !pngs.has(entry.svg) &&
      (figureFiles[name] ?? []).some((f) => f.endsWith(".png"))
    ) {
      const png = pool.png(entry.svg);
      png.catch(() => {}); // awaited in write(); never an unhandled rejection meanwhile
      pngs.set(entry.svg, png);
    }
    prepared.set(name, entry);
    return entry;
  };
  return {
    onFigure: (name, figure) => {
      rendered(name, figure);
    },
    write: async (result, where) => {
      const written: string[] = [];
      const write = async (file: string, data: string | Uint8Array) => {
        const path = `${where.outDir.replace(/\/+$/, "")}/${file}`;
        await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
        if (typeof data === "string") await Deno.writeTextFile(path, data);
        else await Deno.writeFile(path, data);
        written.push(path);
      };
      for (const name of FIGURE_NAMES) {
        const figure = figureOf(result, name);
        if (!figure) continue; // in `skipped`
        const files = figureFiles[name] ?? [];
        if (files.length === 0) continue;
        const entry = rendered(name, figure);
        for (const file of files) {
          if (file.endsWith(".svg")) await write(file, entry.svg);
          else {await write(
              file,
              await (pngs.get(entry.svg) ?? pool.png(entry.svg)),
            );}
        }
      }
      await write(where.reportFile, result.reportMarkdown);
      return written;
    },
    close: () => pool.close(),
  };
}
