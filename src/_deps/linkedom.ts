// linkedom, pinned here once: the DOM that render() gives Observable Plot (src/plot/render.ts).
// A full npm: specifier, so that mod.ts imports from any folder without deno.json.
export { parseHTML } from "npm:linkedom@0.18.15";
