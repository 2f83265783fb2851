// mathjs, pinned here once: the reference parseQuantity (src/units.ts) is tested against (src/units_test.ts).
// A full npm: specifier, so that mod.ts imports from any folder without deno.json.
export { unit } from "npm:mathjs@15.2.0";
