import assert from "node:assert/strict";
import { formatRunsCsv, RUN_COLUMNS } from "./format_runs_csv.ts";
import { parseRunsCsv } from "./parse_runs_csv.ts";
import { pendingPoints } from "./pending_points.ts";
import { planGrid } from "./plan_grid.ts";
import type { GridPoint, RunRow } from "./types.ts";

function rowFor(point: GridPoint, status: string): RunRow {
  return {
    method: point.method,
    contention: point.contention,
    requested_wss: String(point.wss),
    requested_dirty_pages_per_second: point.dirtyPagesPerSecond,
    run: point.run,
    status,
  };
}

Deno.test("pendingPoints() skips points already in runs.csv, whatever their status", () => {
  const plan = planGrid();
  const done = [plan[0]!, plan[5]!, plan[200]!];
  const rows = [
    rowFor(done[0]!, "completed"),
    rowFor(done[1]!, "non-convergent"),
    rowFor(done[2]!, "failed"),
  ];
  const left = pendingPoints(plan, rows);
  assert.equal(left.length, 333);
  assert.deepEqual(left, plan.filter((p) => !done.includes(p)));
});

Deno.test("pendingPoints() plans failed points again with retryFailed", () => {
  const plan = planGrid();
  const rows = [
    rowFor(plan[0]!, "failed"),
    rowFor(plan[1]!, "failed"),
    rowFor(plan[1]!, "completed"),
  ];
  const left = pendingPoints(plan, rows, { retryFailed: true });
  assert.equal(left.length, 335);
  assert.deepEqual(left[0], plan[0]);
});

Deno.test("pendingPoints() resumes from a runs.csv written and read back", () => {
  const plan = planGrid({ repeats: 2 });
  const rows = plan.slice(0, 40).map((p) => rowFor(p, "completed"));
  const text = formatRunsCsv(rows, RUN_COLUMNS);
  const left = pendingPoints(plan, parseRunsCsv(text));
  assert.deepEqual(left, plan.slice(40));
});

Deno.test("pendingPoints() treats another repeat index as another point", () => {
  const plan = planGrid({ repeats: 2 });
  const rows = [rowFor({ ...plan[0]!, run: 2 }, "completed")];
  const left = pendingPoints(plan, rows);
  assert.equal(left.length, plan.length - 1);
  assert.deepEqual(left[0], plan[0]);
});

Deno.test("pendingPoints() tells the points of a downtime limit sweep apart", () => {
  const plan = planGrid({
    wss: [128 * 2 ** 20],
    dirtyPagesPerSecond: [51200],
    contentions: ["none"],
    methods: ["kvm-precopy"],
    downtimeLimitsSeconds: [0.5, 1.2],
  });
  const row = {
    method: "kvm-precopy",
    contention: "none",
    requested_wss: String(128 * 2 ** 20),
    requested_dirty_pages_per_second: "51200",
    run: "1",
    downtime_limit_seconds: "1.2",
    status: "completed",
  };
  assert.deepEqual(pendingPoints(plan, [row]).map((p) => p.downtimeLimitSeconds), [0.5]);
  // The same row also counts for a plan without a sweep.
  const plain = plan.slice(0, 1).map(({ downtimeLimitSeconds: _, ...p }) => p);
  assert.deepEqual(pendingPoints(plain, [row]), []);
});
