import assert from "node:assert/strict";
import { groupOf, positionsWhere } from "./_fit_data.ts";
import { close, MIXED_RUNS as MIXED, testData, testRun } from "./_testing.ts";

Deno.test("fitData() lays the runs out as arrays and checks the fit can be done", async (t) => {
  await t.step("arrays", () => {
    const runs = [testRun({ contention: "cpu" }), ...MIXED];
    const { data } = testData(runs, { extraTerm: "postcopy-workload" });
    assert.deepEqual(data.groupNames, ["cpu", "none"]);
    assert.deepEqual(data.methodNames, ["kvm-postcopy", "xen-precopy"]);
    assert.equal(data.scale, "absolute");
    assert.equal(data.measured[3], 8);
    assert.equal(data.link[0], 1);
    // W/M for post-copy runs only: 2^28 / 2^30 and 2^29 / 2^30.
    assert.deepEqual(Array.from(data.workload.subarray(0, 5)), [0, 0, 0, 0.25, 0.5]);
    close(data.crude[0]!, Math.log(2 ** 30 / 10));
    assert.deepEqual(positionsWhere(runs.length, (p) => data.groups[p] === "cpu"), [0, 5, 6, 7, 8]);
  });
  await t.step("efficiency scale, one group", () => {
    const runs = MIXED.map((run) => ({ ...run, linkBandwidthBytesPerSecond: 125e6 }));
    const { data } = testData(runs, {}, false);
    assert.equal(data.scale, "efficiency");
    assert.deepEqual(data.groupNames, ["all"]);
    assert.equal(data.link[0], 125e6);
    close(data.crude[0]!, Math.log(2 ** 30 / (10 * 125e6)));
    assert.equal(groupOf(null, runs[0]!), "all");
    assert.equal(groupOf("contention", runs[0]!), "none");
  });
  await t.step("errors", () => {
    assert.throws(
      () => testData(MIXED, { scale: "efficiency" }),
      new RangeError(
        'test: missing input "linkBandwidthBytesPerSecond" at run 0, expected the link bandwidth on every run for scale "efficiency" (got undefined)',
      ),
    );
    assert.throws(
      () => testData(MIXED, { baseline: "memory" }),
      new RangeError(
        'test: baseline group "memory" has no completed runs, expected one of "cpu", "none"',
      ),
    );
    assert.throws(
      () => testData(MIXED.slice(0, 3), { bandwidthPer: "method" }),
      new RangeError(
        'test: method "kvm-postcopy" has too few completed runs, expected at least 2 (got 1: run 2)',
      ),
    );
  });
});
