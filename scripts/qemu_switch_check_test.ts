import assert from "node:assert/strict";
import { loadRuns } from "../src/data/load_runs.ts";
import { switchRuleValidation } from "../src/analysis/switch_rule_validation.ts";
import { gridCheckLines, switchCheckLines } from "./qemu_switch_check.ts";

const folder = new URL("../data/qemu-tcg-1gbit-downtime-limit/", import.meta.url).pathname;

Deno.test("switchCheckLines() prints switchRuleValidation's brackets, pauses and summary", async () => {
  const { runs } = await loadRuns(`${folder}runs.csv`);
  const v = switchRuleValidation(runs);
  const lines = switchCheckLines(runs);
  // One row per workload and per converged run's pause, and the wrong calls listed.
  assert.equal(
    lines.filter((l) => l.startsWith("| WSS")).length,
    v.brackets.length + v.pauses.length,
  );
  assert.ok(lines.includes(
    "| WSS full, 51200 pages/s, sweep | 97 | 7.000 | 7.5 | 8.000 | " +
      `${
        v.brackets.find((b) => b.workload.startsWith("WSS full"))!.modelSwitchSeconds!.toFixed(3)
      } | yes | 92/97 |`,
  ));
  assert.ok(lines.includes(
    `${
      v.brackets.filter((b) => b.inside).length
    }/${v.brackets.length} switches inside their bracket; ${
      v.pauses.length - v.pauseMisses.length
    }/${v.pauses.length} pauses within 10 % or 100 ms; ${v.wrongCalls.length} outcomes called wrong`,
  ));
  assert.equal(lines.filter((l) => l.startsWith("- ")).length, v.wrongCalls.length);
});

Deno.test("gridCheckLines() prints both rules on the grid", async () => {
  const grid = new URL("../data/qemu-tcg-1gbit/runs.csv", import.meta.url).pathname;
  const lines = gridCheckLines((await loadRuns(grid)).runs);
  assert.equal(lines.length, 4);
  assert.match(lines[2]!, /^\| between-rounds \| 2\.129 \| .* \| 168\/170 \|$/);
  assert.match(lines[3]!, /^\| qemu \| 0\.785 \| .* \| 170\/170 \|$/);
});
