// reproduceProject's output step: each figure, as soon as it is drawn, sent
// as its recipe to a worker (pngPool) that composes its SVG and rasterises its
// PNG while the fits go on; then the files written in FIGURE_NAMES order, SVG
// and PNG as listed, and the report. The worker's SVG is render()'s here.
import { type FigureRecipe, pngPool } from "../plot/png_pool.ts";
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
  /**
   * Queues the figure's SVG and PNG on the worker, from its recipe (when a
   * PNG file is listed and there is a worker; else they are made when written).
   */
  onFigure(name: FigureName, figure: FigureSpec, recipe?: FigureRecipe): void;
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
  // Per figure: the figure, its SVG and PNG (on the worker, promised), and the recipe's JSON
  // (a figure drawn again from the same recipe, as Figure 1 is, reuses them).
  type Entry = {
    figure: FigureSpec;
    svg: Promise<string>;
    png?: Promise<Uint8Array>;
    recipe?: string;
  };
  const prepared = new Map<FigureName, Entry>();
  const wantsPng = (name: FigureName) => (figureFiles[name] ?? []).some((f) => f.endsWith(".png"));
  const onThisThread = (name: FigureName, figure: FigureSpec): Entry => {
    const entry: Entry = { figure, svg: Promise.resolve(render(figure)) };
    prepared.set(name, entry);
    return entry;
  };
  const onWorker = (name: FigureName, figure: FigureSpec, recipe: FigureRecipe) => {
    const json = JSON.stringify(recipe);
    const ready = prepared.get(name);
    if (ready?.recipe === json) {
      ready.figure = figure;
      return;
    }
    let drawn: Promise<{ svg: string; png: Uint8Array }>;
    try {
      drawn = pool.figure(recipe);
    } catch {
      onThisThread(name, figure); // not cloneable: composed here, rasterised when written
      return;
    }
    drawn.catch(() => {}); // awaited in write(); never an unhandled rejection meanwhile
    prepared.set(name, {
      figure,
      svg: drawn.then((d) => d.svg),
      png: drawn.then((d) => d.png),
      recipe: json,
    });
  };
  return {
    onFigure: (name, figure, recipe) => {
      if (options.workers === 1 && recipe && wantsPng(name)) onWorker(name, figure, recipe);
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
        const ready = prepared.get(name);
        const entry = ready?.figure === figure ? ready : onThisThread(name, figure);
        for (const file of files) {
          if (file.endsWith(".svg")) await write(file, await entry.svg);
          else await write(file, await (entry.png ?? pool.png(await entry.svg)));
        }
      }
      await write(where.reportFile, result.reportMarkdown);
      return written;
    },
    close: () => pool.close(),
  };
}
