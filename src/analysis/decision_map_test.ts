import assert from "node:assert/strict";
import { kvmPostcopy } from "../models/kvm_postcopy.ts";
import { kvmPrecopy } from "../models/kvm_precopy.ts";
import { xenPrecopy } from "../models/xen_precopy.ts";
import { decisionMap } from "./decision_map.ts";

const M = 2 ** 30;
const B = 125e6;

Deno.test("decisionMap() classifies every cell as the models say", async (t) => {
  const wssBytes = [0, 2 ** 27, M];
  const dirtyPagesPerSecond = [1024, 16384, 131072];
  const map = decisionMap({
    memoryBytes: M,
    bandwidthBytesPerSecond: B,
    wssBytes,
    dirtyPagesPerSecond,
  });

  await t.step("one cell per configuration, decisions from kvmPrecopy and kvmPostcopy", () => {
    assert.equal(map.cells.length, 9);
    for (const cell of map.cells) {
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
    assert.equal(map.cells[8]!.decision, "pre-copy does not converge");
    assert.equal(map.cells[0]!.precopyConverged, true);
  });

  await t.step("cells tile the axes: edges meet, x is log2 of the rate", () => {
    const row = map.cells.slice(0, 3);
    assert.equal(row[0]!.x2, row[1]!.x1);
    assert.ok(Math.abs((row[0]!.x1 + row[0]!.x2) / 2 - Math.log2(1024)) < 1e-12);
    assert.equal(map.cells[0]!.y2, map.cells[3]!.y1);
  });

  await t.step("the map keeps the grids and KVM pre-copy's limits for the caption", () => {
    assert.deepEqual(map.wssBytes, wssBytes);
    assert.deepEqual(map.dirtyPagesPerSecond, dirtyPagesPerSecond);
    assert.equal(map.downtimeLimitSeconds, 0.3);
    assert.equal(map.timeoutSeconds, 600);
    assert.equal(map.precopy, "kvm-precopy");
  });
});

Deno.test("decisionMap() with Xen pre-copy never reports non-convergence", () => {
  const map = decisionMap({
    memoryBytes: M,
    precopy: "xen-precopy",
    wssBytes: [0, M],
    dirtyPagesPerSecond: [1024, 131072],
  });
  assert.ok(map.cells.every((c) => c.decision !== "pre-copy does not converge"));
  const heavy = map.cells[3]!;
  assert.equal(
    heavy.precopySeconds,
    xenPrecopy({
      memoryBytes: M,
      wssBytes: M,
      dirtyPagesPerSecond: 131072,
      bandwidthBytesPerSecond: 125e6,
    }).precopyTimeSeconds,
  );
});

Deno.test("decisionMap() rejects bad options", () => {
  assert.throws(
    () => decisionMap({ precopy: "hyper-v" as "xen-precopy" }),
    new RangeError(
      'decisionMap: invalid option "precopy", expected "kvm-precopy" or "xen-precopy" (got "hyper-v")',
    ),
  );
  assert.throws(
    () => decisionMap({ wssBytes: [0] }),
    new RangeError(
      'decisionMap: invalid option "wssBytes", expected at least 2 values (got [0])',
    ),
  );
  assert.throws(() => decisionMap({ memoryBytes: M, wssBytes: [0, 2 * M] }), RangeError);
});
