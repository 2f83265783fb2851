// mathjs, pinned here once: the unit parser behind parseQuantity (src/units.ts).
// A full npm: specifier, so that mod.ts imports from any folder without deno.json.
export { unit } from "npm:mathjs@15.2.0";
