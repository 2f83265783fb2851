import assert from "node:assert/strict";
import { kvmPostcopy } from "../models/kvm_postcopy.ts";
import { kvmPrecopy } from "../models/kvm_precopy.ts";
import { xenPrecopy } from "../models/xen_precopy.ts";
import { figureDecisionMapSpec } from "./figure_decision_map_spec.ts";

const M = 2 ** 30;
const B = 125e6;

Deno.test("figureDecisionMapSpec() classifies every cell as the models say", async (t) => {
  const wssBytes = [0, 2 ** 27, M];
  const dirtyPagesPerSecond = [1024, 16384, 131072];
  const figure = figureDecisionMapSpec({
    memoryBytes: M,
    bandwidthBytesPerSecond: B,
    wssBytes,
    dirtyPagesPerSecond,
  });

  await t.step("one cell per configuration, decisions from kvmPrecopy and kvmPostcopy", () => {
    assert.equal(figure.cells.length, 9);
    for (const cell of figure.cells) {
      const input = {
        memoryBytes: M,
        wssBytes: cell.wssBytes,
        dirtyPagesPerSecond: cell.dirtyPagesPerSecond,
        bandwidthBytesPerSecond: B,
      };
      const pre = kvmPrecopy(input);
      const post = kvmPostcopy(input);
      assert.equal(cell.precopySeconds, pre.migrationTimeSeconds);
      assert.equal(cell.postcopySeconds, post.migrationTimeSeconds);
      assert.equal(cell.precopyDowntimeSeconds, pre.downtimeSeconds);
      const expected = !pre.converged
        ? "pre-copy does not converge"
        : pre.migrationTimeSeconds <= post.migrationTimeSeconds
        ? "pre-copy faster"
        : "post-copy faster";
      assert.equal(cell.decision, expected);
    }
    // The heaviest writer never converges; a zero WSS converges at once.
    assert.equal(figure.cells[8]!.decision, "pre-copy does not converge");
    assert.equal(figure.cells[0]!.precopyConverged, true);
  });

  await t.step("cells tile the axes: edges meet, x is log2 of the rate", () => {
    const row = figure.cells.slice(0, 3);
    assert.equal(row[0]!.x2, row[1]!.x1);
    assert.ok(Math.abs((row[0]!.x1 + row[0]!.x2) / 2 - Math.log2(1024)) < 1e-12);
    const [decision, downtime] = figure.panels;
    assert.deepEqual(decision!.plot.color!.domain, [
      "pre-copy faster",
      "post-copy faster",
      "pre-copy does not converge",
    ]);
    assert.equal(downtime!.plot.color!.domain!.length, 6);
    // Edges run from 2^8.5 to 2^18.5 pages/s: even powers of 2 inside.
    assert.deepEqual(decision!.plot.x!.ticks, [10, 12, 14, 16, 18]);
  });

  await t.step("the caption counts the cells of each decision", () => {
    const counts = ["pre-copy faster", "post-copy faster", "pre-copy does not converge"].map((
      label,
    ) => figure.cells.filter((c) => c.decision === label).length);
    assert.match(
      figure.caption,
      new RegExp(`faster in ${counts[0]} cells, KVM post-copy \\(T = M/B\\) in ${counts[1]}`),
    );
  });
});

Deno.test("figureDecisionMapSpec() with Xen pre-copy never reports non-convergence", () => {
  const figure = figureDecisionMapSpec({
    memoryBytes: M,
    precopy: "xen-precopy",
    wssBytes: [0, M],
    dirtyPagesPerSecond: [1024, 131072],
  });
  assert.ok(figure.cells.every((c) => c.decision !== "pre-copy does not converge"));
  const heavy = figure.cells[3]!;
  assert.equal(
    heavy.precopySeconds,
    xenPrecopy({
      memoryBytes: M,
      wssBytes: M,
      dirtyPagesPerSecond: 131072,
      bandwidthBytesPerSecond: 125e6,
    }).precopyTimeSeconds,
  );
  assert.match(figure.title, /Xen pre-copy against KVM post-copy/);
});

Deno.test("figureDecisionMapSpec() rejects bad options", () => {
  assert.throws(
    () => figureDecisionMapSpec({ precopy: "hyper-v" as "xen-precopy" }),
    new RangeError(
      'figureDecisionMapSpec: invalid option "precopy", expected "kvm-precopy" or "xen-precopy" (got "hyper-v")',
    ),
  );
  assert.throws(
    () => figureDecisionMapSpec({ wssBytes: [0] }),
    new RangeError(
      'figureDecisionMapSpec: invalid option "wssBytes", expected at least 2 values (got [0])',
    ),
  );
  assert.throws(() => figureDecisionMapSpec({ memoryBytes: M, wssBytes: [0, 2 * M] }), RangeError);
});
