// PNGs rasterised off the calling thread: reproduceProject hands each
// figure's SVG over as soon as the figure is drawn, and the worker
// rasterises it while the fits go on. resvg is deterministic, so a PNG from
// the worker is the serial one byte for byte (png_pool_test.ts checks it).
import { PNG_DEFAULTS, type RasterizeOptions, rasterizeSvg } from "./_rasterize.ts";

/** Rasterises SVG texts, in order of submission, on a worker or this thread. */
export interface PngPool {
  /** Queues an SVG; the promise gives its PNG bytes (or rejects with resvg's error). */
  png(svg: string): Promise<Uint8Array>;
  /** Stops the worker (pending PNGs reject); safe to call twice. */
  close(): void;
}

/**
 * A pool of one Web Worker (`workers: 1`) or none (`workers: 0`: each PNG is
 * rasterised on this thread when asked, as render() does).
 *
 * @param options The number of workers (0 or 1) and the PNG options.
 */
export function pngPool(
  options: { workers: 0 | 1; raster?: RasterizeOptions },
): PngPool {
  const raster = options.raster ?? PNG_DEFAULTS;
  if (options.workers === 0) {
    return {
      png: (svg) => {
        try {
          return Promise.resolve(rasterizeSvg(svg, raster));
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
    { resolve: (png: Uint8Array) => void; reject: (error: Error) => void }
  >();
  let next = 0;
  let closed = false;
  const fail = (message: string) => {
    for (const { reject } of pending.values()) reject(new Error(message));
    pending.clear();
  };
  worker.onmessage = (event: MessageEvent<{ id: number; png?: Uint8Array; error?: string }>) => {
    const { id, png, error } = event.data;
    const waiting = pending.get(id);
    if (!waiting) return;
    pending.delete(id);
    if (png) waiting.resolve(png);
    else waiting.reject(new Error(`pngPool: resvg failed on the worker: ${error}`));
  };
  worker.onerror = (event) => {
    event.preventDefault();
    fail(`pngPool: the PNG worker failed: ${event.message}`);
  };
  return {
    png: (svg) => {
      if (closed) return Promise.reject(new Error("pngPool: the pool is closed"));
      const id = next++;
      const result = new Promise<Uint8Array>((resolve, reject) => {
        pending.set(id, { resolve, reject });
      });
      worker.postMessage({ id, svg, options: raster });
      return result;
    },
    close: () => {
      if (closed) return;
      closed = true;
      worker.terminate();
      fail("pngPool: the pool was closed before the PNG was done");
    },
  };
}
