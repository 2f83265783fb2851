import assert from "node:assert/strict";
import { loadRuns } from "../src/data/load_runs.ts";
import { firstWindowRange } from "../src/analysis/first_window_range.ts";
import { firstWindowLines } from "./first_window_range.ts";

const folder = new URL("../data/qemu-tcg-1gbit-downtime-limit/", import.meta.url).pathname;

Deno.test("firstWindowLines() prints one row per decided run and the range", async () => {
  const { runs } = await loadRuns(`${folder}runs.csv`);
  const lines = firstWindowLines(runs, 119e6);
  const range = firstWindowRange(runs, { bandwidthBytesPerSecond: 119e6 });
  assert.equal(lines.filter((l) => l.startsWith("| WSS")).length, range.runs.length);
  assert.match(
    lines.at(-1)!,
    /^204 runs decided by the first window, 48 stopped at once; range 1\.15\d-2\.36\d MB \(the sittings disagree\)$/,
  );
});

Deno.test("first_window_range.ts rejects a bandwidth that is not a number", async () => {
  const script = new URL("./first_window_range.ts", import.meta.url).pathname;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script, "--bandwidth", "fast"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 2);
  assert.match(new TextDecoder().decode(out.stderr), /--bandwidth takes bytes\/s/);
});
