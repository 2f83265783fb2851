// A Web Worker that rasterises SVG texts for png_pool.ts: it gets
// { id, svg, options } and answers { id, png } (the buffer transferred) or
// { id, error }. It loads resvg alone, as it starts (before the first figure is drawn).
/// <reference lib="deno.worker" />
import { type RasterizeOptions, rasterizeSvg } from "./_rasterize.ts";
import { loadResvg } from "../_deps/resvg.ts";

loadResvg();

self.onmessage = (event: MessageEvent<{ id: number; svg: string; options: RasterizeOptions }>) => {
  const { id, svg, options } = event.data;
  try {
    const png = rasterizeSvg(svg, options);
    self.postMessage({ id, png }, [png.buffer as ArrayBuffer]);
  } catch (error) {
    self.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
};
