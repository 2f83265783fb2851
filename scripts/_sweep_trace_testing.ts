// Private test fixture: a SYNTHETIC sweep trace, shared by the trace reader's
// and the stall check's tests.
import { parseSweepTrace } from "./_sweep_trace.ts";

// A SYNTHETIC trace: two sides, the source (vm1) syncing at 0.5 s and 1.0 s after its setup.
const stamp = (s: number) => ({
  seconds: 1000 + Math.floor(s),
  microseconds: Math.round((s % 1) * 1e6),
});
const event = (side: string, s: number, name: string, data?: unknown) =>
  JSON.stringify({ side, dir: "event", msg: { timestamp: stamp(s), event: name, data } });
const sample = (ms: number, transferred: number, mbps: number, duplicate: number) =>
  JSON.stringify({
    query_migrate: { status: "active", "total-time": ms, ram: { transferred, mbps, duplicate } },
  });
/** The parsed synthetic trace. */
export const synthetic: ReturnType<typeof parseSweepTrace> = parseSweepTrace(
  [
    sample(200, 24e6, 960, 10),
    sample(400, 48e6, 960, 20),
    JSON.stringify({
      query_migrate: {
        status: "completed",
        downtime: 250,
        ram: { "downtime-bytes": 30e6, duplicate: 120 },
      },
    }),
    JSON.stringify({ query_migrate: { status: "completed" } }),
  ].join("\n"),
  [
    event("vm2", 0.1, "MIGRATION", { status: "setup" }),
    event("vm1", 0.2, "MIGRATION", { status: "setup" }),
    event("vm1", 0.2, "MIGRATION_PASS", { pass: 1 }),
    event("vm1", 0.7, "MIGRATION_PASS", { pass: 2 }),
    event("vm1", 1.2, "MIGRATION_PASS", { pass: 3 }),
    event("vm1", 1.2005, "STOP"),
    event("vm1", 1.2007, "MIGRATION_PASS", { pass: 4 }),
  ].join("\n"),
);
