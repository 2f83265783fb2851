import * as Plot from "../_deps/plot.ts";
import assert from "node:assert/strict";
import { simulatePlan } from "../plans/simulate_plan.ts";
import type { Plan } from "../plans/types.ts";
import { figurePlanGanttSpec } from "./figure_plan_gantt_spec.ts";

const node = { uplinkBytesPerSecond: 100e6, downlinkBytesPerSecond: 100e6 };
const vm = { method: "kvm-postcopy", memoryBytes: 1e9, wssBytes: 0, dirtyPagesPerSecond: 0 };
// Synthetic, not measured: made up to check the figure.
const PLAN: Plan = {
  nodes: { a: node, b: node, c: node },
  migrations: [
    { ...vm, id: "late", source: "a", destination: "c", startSeconds: 15, migrationTimeSeconds: 9 },
    {
      ...vm,
      id: "early",
      source: "a",
      destination: "b",
      startSeconds: 10,
      migrationTimeSeconds: 16,
    },
    { ...vm, id: "free", source: "b", destination: "c", startSeconds: 12 },
  ],
};
const SOURCE = { description: "a made-up plan", synthetic: true };

function dataOf(mark: unknown): Record<string, unknown>[] {
  return (mark as { data: Record<string, unknown>[] }).data;
}

Deno.test("figurePlanGanttSpec() draws measured and simulated spans with each error", async (t) => {
  const simulated = simulatePlan(PLAN);
  const figure = figurePlanGanttSpec(PLAN, simulated, { source: SOURCE, planName: "P" });

  await t.step("rows by start, times from the first start, errors measured - simulated", () => {
    assert.deepEqual(figure.rows.map((r) => r.id), ["early", "free", "late"]);
    const [early, free, late] = figure.rows;
    assert.equal(early!.startSeconds, 0);
    assert.equal(early!.measuredEndSeconds, 16);
    // early shares a's uplink with late from 15 s: 500 MB by then, 50 MB/s after.
    const earlySim = simulated.migrations[1]!;
    assert.ok(Math.abs(early!.simulatedEndSeconds - (earlySim.endSeconds - 10)) < 1e-12);
    assert.ok(Math.abs(early!.errorSeconds! - (16 - earlySim.migrationTimeSeconds)) < 1e-12);
    assert.ok(Math.abs(early!.errorPercent! - (early!.errorSeconds! / 16) * 100) < 1e-12);
    assert.equal(free!.measuredEndSeconds, undefined);
    assert.equal(free!.errorSeconds, undefined);
    assert.equal(late!.startSeconds, 5);
  });

  await t.step("one panel: measured bars, simulated bars, makespan rules and error labels", () => {
    assert.equal(figure.panels.length, 1);
    const plot = figure.panels[0]!.plot;
    assert.deepEqual(plot.y!.domain, ["early (a → b)", "free (b → c)", "late (a → c)"]);
    assert.equal(plot.x!.label, "time since the plan's first start (s)");
    const marks = plot.marks!;
    assert.ok(marks[0] instanceof Plot.BarX && marks[1] instanceof Plot.BarX);
    assert.equal(dataOf(marks[0]).length, 2);
    assert.equal(dataOf(marks[1]).length, 3);
    assert.ok(marks[2] instanceof Plot.RuleX);
    const makespans = dataOf(marks[2]).map((r) => r.x as number);
    assert.ok(Math.abs(makespans[0]! - simulated.makespanSeconds) < 1e-12);
    assert.equal(makespans[1], 16);
    assert.ok(marks.at(-1) instanceof Plot.Text);
    assert.equal(dataOf(marks.at(-1)).length, 2);
  });

  await t.step("title, legend and caption say what is drawn and that it is synthetic", () => {
    assert.ok(figure.title.startsWith("SYNTHETIC DATA: P: 3 migrations"));
    assert.deepEqual(figure.legends[0]!.items.map((i) => i.label), [
      "measured",
      "simulated",
      "makespan",
    ]);
    assert.ok(figure.caption.includes("over 2 measured migrations"));
    assert.ok(figure.caption.includes("at the links' nominal speeds, without overhead"));
  });

  await t.step("the caption names the parameters used", () => {
    const parameters = {
      linkFractions: { "800 Mbit/s": { value: 0.9 } },
      overheadSeconds: { value: 2 },
    };
    const fitted = figurePlanGanttSpec(PLAN, simulatePlan(PLAN, parameters), {
      source: SOURCE,
      parameters,
    });
    assert.ok(
      fitted.caption.includes(
        "usable link fractions 0.900 of 800 Mbit/s and an overhead of 2.00 s",
      ),
    );
  });
});

Deno.test("figurePlanGanttSpec() shows a plan without measurements as simulated only", () => {
  const plan = {
    ...PLAN,
    migrations: PLAN.migrations.map(({ migrationTimeSeconds: _, ...m }) => m),
  };
  const figure = figurePlanGanttSpec(plan, simulatePlan(plan), { source: SOURCE });
  assert.equal(dataOf(figure.panels[0]!.plot.marks![0]).length, 0);
  assert.deepEqual(figure.legends[0]!.items.map((i) => i.label), ["simulated", "makespan"]);
  assert.ok(figure.caption.includes("No migration of this plan is measured"));
});

Deno.test("figurePlanGanttSpec() rejects a result that does not match the plan", async (t) => {
  const simulated = simulatePlan(PLAN);
  await t.step("fewer migrations", () => {
    assert.throws(
      () =>
        figurePlanGanttSpec(PLAN, { ...simulated, migrations: simulated.migrations.slice(1) }, {
          source: SOURCE,
        }),
      (e: Error) =>
        e instanceof RangeError &&
        e.message ===
          'figurePlanGanttSpec: invalid input "simulated.migrations", expected 3 migrations (one per plan migration, at least 1) (got 2)',
    );
  });
  await t.step("another order", () => {
    const swapped = [simulated.migrations[1]!, simulated.migrations[0]!, simulated.migrations[2]!];
    assert.throws(
      () => figurePlanGanttSpec(PLAN, { ...simulated, migrations: swapped }, { source: SOURCE }),
      (e: Error) =>
        e instanceof RangeError &&
        e.message ===
          'figurePlanGanttSpec: invalid input "simulated.migrations[0].id", expected "late" (the plan\'s order) (got "early")',
    );
  });
  await t.step("no source", () => {
    assert.throws(
      () => figurePlanGanttSpec(PLAN, simulated, {} as never),
      (e: Error) =>
        e instanceof TypeError &&
        e.message ===
          'figurePlanGanttSpec: invalid option "source", expected an object (got undefined)',
    );
  });
});
