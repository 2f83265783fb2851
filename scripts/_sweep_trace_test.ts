import assert from "node:assert/strict";
import { synthetic } from "./_sweep_trace_testing.ts";

Deno.test("parseSweepTrace() reads the source's syncs, stop, samples and completed reply", () => {
  assert.deepEqual(synthetic.syncSeconds.map((s) => +s.toFixed(4)), [0, 0.5, 1, 1.0007]);
  assert.equal(+synthetic.stopSeconds!.toFixed(4), 1.0005);
  assert.equal(synthetic.samples.length, 2);
  assert.equal(synthetic.samples[1]!.timeSeconds, 0.4);
  assert.equal(synthetic.samples[1]!.readingBytesPerSecond, 120e6);
  assert.equal(synthetic.downtimeBytes, 30e6);
  assert.equal(synthetic.qmpDowntimeSeconds, 0.25);
  assert.equal(synthetic.finalDuplicatePages, 120);
});
