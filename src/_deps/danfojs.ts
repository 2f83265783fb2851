// danfojs, pinned here once: the DataFrame of toDataFrame (src/data/to_data_frame.ts).
// A full npm: specifier, so that mod.ts imports from any folder without deno.json.
export { DataFrame } from "npm:danfojs@1.1.2";
