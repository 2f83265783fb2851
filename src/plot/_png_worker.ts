// A Web Worker for png_pool.ts. It gets { id, svg, options } and answers
// { id, png } (the buffer transferred), or { id, recipe, options }: it
// builds the figure (_figure_recipe.ts), composes its SVG with render() and
// answers { id, svg, png }; on a failure { id, error }. It loads resvg,
// Observable Plot and linkedom as it starts, before the first figure is drawn.
/// <reference lib="deno.worker" />
import { type RasterizeOptions, rasterizeSvg } from "./_rasterize.ts";
import { buildFigure, type FigureRecipe } from "./_figure_recipe.ts";
import { loadResvg } from "../_deps/resvg.ts";
import { render } from "./render.ts";

loadResvg();

self.onmessage = (
  event: MessageEvent<
    { id: number; svg?: string; recipe?: FigureRecipe; options: RasterizeOptions }
  >,
) => {
  const { id, recipe, options } = event.data;
  try {
    const svg = event.data.svg ??
      render(buildFigure(recipe!), { fontFamily: options.fontFamily });
    const png = rasterizeSvg(svg, options);
    self.postMessage(
      { id, png, ...(recipe ? { svg } : {}) },
      [png.buffer as ArrayBuffer],
    );
  } catch (error) {
    self.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
};
