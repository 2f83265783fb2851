// resvg, pinned here once: the PNG rasteriser of render() (src/plot/render.ts).
//
// resvg is a native addon whose loader asks for system information, so it is
// loaded on the first PNG only: importing the toolkit needs no --allow-sys or
// --allow-ffi. The JSON import below puts the package in the module graph
// without running it, so that the lazy require finds it from any folder,
// without deno.json (Deno resolves a bare require to a top-level npm package).
import "npm:@resvg/resvg-js@2.6.2/package.json" with { type: "json" };
import type { Resvg } from "npm:@resvg/resvg-js@2.6.2";
import { createRequire } from "node:module";

/** The part of resvg's module that render() uses. */
export interface ResvgModule {
  /** The rasteriser class. */
  Resvg: typeof Resvg;
}

let resvgModule: ResvgModule | undefined;

/** Loads resvg on the first call and returns the same module after. */
export function loadResvg(): ResvgModule {
  resvgModule ??= createRequire(import.meta.url)("@resvg/resvg-js") as ResvgModule;
  return resvgModule;
}
