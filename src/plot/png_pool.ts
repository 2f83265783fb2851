/**
 * PNGs rasterised off the calling thread: `reproduceProject` hands each
 * figure's SVG (from {@linkcode render}) over as soon as the figure is drawn,
 * and the worker rasterises it while the fits go on. resvg is deterministic,
 * so a PNG from the worker is the one `render(figure, { format: "png" })`
 * gives, byte for byte.
 *
 * @module
 */
import { checkNumber, checkObject, showValue } from "../_validate.ts";
import { PNG_DEFAULTS, rasterizeSvg } from "./_rasterize.ts";
import { buildFigure, type FigureRecipe } from "./_figure_recipe.ts";
import { render } from "./render.ts";

export type { FigureRecipe } from "./_figure_recipe.ts";

/** Rasterises SVG texts, in order of submission, on a worker or this thread. */
export interface PngPool {
  /** Queues an SVG; the promise gives its PNG bytes (or rejects with resvg's error). */
  png(svg: string): Promise<Uint8Array>;
  /**
   * Queues a figure as its recipe: the worker builds it and composes its SVG
   * (render()'s, byte for byte) besides the PNG. Throws a DataCloneError at
   * once if the recipe cannot be sent to the worker.
   */
  figure(recipe: FigureRecipe): Promise<{ svg: string; png: Uint8Array }>;
  /** Stops the worker (pending PNGs reject); safe to call twice. */
  close(): void;
}

/** Options for {@linkcode pngPool}. */
export interface PngPoolOptions {
  /**
   * 1: one Web Worker rasterises the PNGs in order; 0: each is rasterised
   * on this thread when asked (as render() does).
   *
   * @default {1}
   */
  workers?: 0 | 1;
  /**
   * PNG pixels per CSS pixel, as render()'s option.
   *
   * @default {2}
   */
  scale?: number;
  /**
   * Folders with the TrueType fonts, as render()'s option.
   *
   * @default {["/usr/share/fonts/truetype/dejavu"]}
   */
  fontDirs?: string[];
  /**
   * The font family used for text, as render()'s option.
   *
   * @default {"DejaVu Sans"}
   */
  fontFamily?: string;
}

/**
 * Rasterises SVG texts (as {@linkcode render} composes them) to PNG with
 * resvg and render()'s fonts and scale, on a Web Worker or on this thread.
 * Deno needs `--allow-ffi` and `--allow-read` for resvg (a worker inherits
 * them). Close the pool when done, or the worker keeps the process alive.
 *
 * @param options The workers (0 or 1), the scale and the fonts.
 * @returns The pool.
 * @throws {RangeError} If `workers` is not 0 or 1, or `scale` is not positive.
 *
 * @example The same PNG as render() gives
 * ```ts
 * import * as Plot from "npm:@observablehq/plot@0.6.17";
 * import { pngPool } from "./png_pool.ts";
 * import { render } from "./render.ts";
 * import assert from "node:assert/strict";
 * const figure = {
 *   title: "A line",
 *   subtitle: "y = 2x",
 *   caption: "Made up for the example.",
 *   legends: [],
 *   panels: [{ name: "main", plot: { width: 300, height: 150, marks: [Plot.line([[0, 0], [1, 2]])] } }],
 *   widthPixels: 300,
 * };
 * const pool = pngPool({ workers: 0, scale: 1 });
 * const png = await pool.png(render(figure));
 * pool.close();
 * assert.deepEqual(png, render(figure, { format: "png", scale: 1 }));
 * ```
 */
export function pngPool(options: PngPoolOptions = {}): PngPool {
  const {
    workers = 1,
    scale = PNG_DEFAULTS.scale,
    fontDirs = [...PNG_DEFAULTS.fontDirs],
    fontFamily = PNG_DEFAULTS.fontFamily,
  } = checkObject("pngPool", "options", options) as PngPoolOptions;
  if (workers !== 0 && workers !== 1) {
    throw new RangeError(
      `pngPool: invalid option "workers", expected 0 or 1 (got ${showValue(workers)})`,
    );
  }
  checkNumber("pngPool", "option", "scale", scale, "positive");
  const raster = { scale, fontDirs, fontFamily };
  if (workers === 0) {
    return {
      png: (svg) => {
        try {
          return Promise.resolve(rasterizeSvg(svg, raster));
        } catch (error) {
          return Promise.reject(error);
        }
      },
      figure: (recipe) => {
        try {
          const svg = render(buildFigure(recipe), { fontFamily });
          return Promise.resolve({ svg, png: rasterizeSvg(svg, raster) });
        } catch (error) {
          return Promise.reject(error);
        }
      },
      close: () => {},
    };
  }
  const worker = new Worker(new URL("./_png_worker.ts", import.meta.url).href, {
    type: "module",
  });
  const pending = new Map<
    number,
    { resolve: (answer: { svg?: string; png: Uint8Array }) => void; reject: (error: Error) => void }
  >();
  let next = 0;
  let closed = false;
  const fail = (message: string) => {
    for (const { reject } of pending.values()) reject(new Error(message));
    pending.clear();
  };
  worker.onmessage = (
    event: MessageEvent<{ id: number; svg?: string; png?: Uint8Array; error?: string }>,
  ) => {
    const { id, svg, png, error } = event.data;
    const waiting = pending.get(id);
    if (!waiting) return;
    pending.delete(id);
    if (png) waiting.resolve({ png, ...(svg === undefined ? {} : { svg }) });
    else waiting.reject(new Error(`pngPool: resvg failed on the worker: ${error}`));
  };
  worker.onerror = (event) => {
    event.preventDefault();
    fail(`pngPool: the PNG worker failed: ${event.message}`);
  };
  const ask = (message: { svg: string } | { recipe: FigureRecipe }) => {
    if (closed) return Promise.reject(new Error("pngPool: the pool is closed"));
    const id = next++;
    worker.postMessage({ id, ...message, options: raster }); // a DataCloneError throws here
    return new Promise<{ svg?: string; png: Uint8Array }>((resolve, reject) => {
      pending.set(id, { resolve, reject });
    });
  };
  return {
    png: (svg) => ask({ svg }).then((answer) => answer.png),
    figure: (recipe) =>
      ask({ recipe }).then((answer) => ({ svg: answer.svg ?? "", png: answer.png })),
    close: () => {
      if (closed) return;
      closed = true;
      worker.terminate();
      fail("pngPool: the pool was closed before the PNG was done");
    },
  };
}
