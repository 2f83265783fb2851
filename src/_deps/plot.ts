// Observable Plot, pinned here once: the marks of the figure specs (src/plot/).
// A full npm: specifier, so that mod.ts imports from any folder without deno.json.
export * from "npm:@observablehq/plot@0.6.17";
