import assert from "node:assert/strict";
import fc from "fast-check";
import { kvmPostcopy } from "../models/kvm_postcopy.ts";
import { kvmPrecopy } from "../models/kvm_precopy.ts";
import { xenPrecopy } from "../models/xen_precopy.ts";
import { simulatePlan } from "./simulate_plan.ts";
import type { Plan, PlanMigration } from "./types.ts";

const PAGE = 4096;

function node(up: number, down = up) {
  return { uplinkBytesPerSecond: up, downlinkBytesPerSecond: down };
}

function migration(fields: Partial<PlanMigration> & { id: string }): PlanMigration {
  return {
    method: "kvm-postcopy",
    memoryBytes: 1e9,
    wssBytes: 0,
    dirtyPagesPerSecond: 0,
    source: "a",
    destination: "b",
    startSeconds: 0,
    ...fields,
  };
}

function close(actual: number, expected: number, relative = 1e-9): void {
  assert.ok(
    Math.abs(actual - expected) <= relative * Math.max(1, Math.abs(expected)),
    `${actual} != ${expected}`,
  );
}

Deno.test("simulatePlan() gives the single-migration models' time at a constant bandwidth", async (t) => {
  const input = fc.record({
    memoryBytes: fc.double({ min: 1e8, max: 8e9, noNaN: true }),
    wssFraction: fc.double({ min: 0, max: 1, noNaN: true }),
    dirtyPagesPerSecond: fc.double({ min: 0, max: 60000, noNaN: true }),
    bandwidthBytesPerSecond: fc.double({ min: 1e7, max: 2e9, noNaN: true }),
    overheadSeconds: fc.double({ min: 0, max: 5, noNaN: true }),
  });
  const one = (method: string, v: Record<string, number>) => {
    const wssBytes = v.wssFraction! * v.memoryBytes!;
    const plan: Plan = {
      nodes: { a: node(v.bandwidthBytesPerSecond!), b: node(v.bandwidthBytesPerSecond!) },
      migrations: [migration({
        id: "x",
        method,
        memoryBytes: v.memoryBytes!,
        wssBytes,
        dirtyPagesPerSecond: v.dirtyPagesPerSecond!,
        startSeconds: 3,
      })],
    };
    const result = simulatePlan(plan, { overheadSeconds: { value: v.overheadSeconds! } }, {
      kvmPrecopy: { timeoutSeconds: 120 },
    });
    const model = { ...v, wssBytes, pageBytes: PAGE } as never;
    return { sim: result.migrations[0]!, model };
  };
  await t.step("kvm-precopy (converged or timed out)", () => {
    fc.assert(
      fc.property(input, (v) => {
        const { sim, model } = one("kvm-precopy", v as never);
        const expected = kvmPrecopy(model, { timeoutSeconds: 120, switchRule: "between-rounds" });
        close(sim.migrationTimeSeconds, expected.migrationTimeSeconds + v.overheadSeconds);
        close(sim.transferredBytes, expected.transferredBytes, 1e-8);
        close(sim.endSeconds, 3 + expected.migrationTimeSeconds + v.overheadSeconds);
      }),
      { numRuns: 300 },
    );
  });
  await t.step("xen-precopy with its stop-and-copy", () => {
    fc.assert(
      fc.property(input, (v) => {
        const { sim, model } = one("xen-precopy", v as never);
        const expected = xenPrecopy(model);
        close(sim.migrationTimeSeconds, expected.migrationTimeSeconds + v.overheadSeconds);
        close(sim.transferredBytes, expected.transferredBytes + expected.stopAndCopyBytes, 1e-8);
      }),
      { numRuns: 300 },
    );
  });
  await t.step("kvm-postcopy", () => {
    fc.assert(
      fc.property(input, (v) => {
        const { sim, model } = one("kvm-postcopy", v as never);
        const expected = kvmPostcopy(model);
        close(sim.migrationTimeSeconds, expected.migrationTimeSeconds + v.overheadSeconds);
        close(sim.transferredBytes, expected.transferredBytes);
      }),
      { numRuns: 200 },
    );
  });
});

Deno.test("simulatePlan() shares links max-min fairly", async (t) => {
  await t.step("a link that saturates first frees bandwidth for the others", () => {
    // a's uplink 100 MB/s; c receives at 30 MB/s: a->c gets 30, a->b the other 70.
    const result = simulatePlan({
      nodes: { a: node(100e6), b: node(100e6), c: node(100e6, 30e6) },
      migrations: [
        migration({ id: "ab", memoryBytes: 700e6 }),
        migration({ id: "ac", destination: "c", memoryBytes: 300e6 }),
      ],
    });
    close(result.migrations[0]!.endSeconds, 10);
    close(result.migrations[1]!.endSeconds, 10);
    close(result.makespanSeconds, 10);
  });
  await t.step("a migration that joins later halves the rate, and the rate comes back", () => {
    const result = simulatePlan({
      nodes: { a: node(100e6), b: node(100e6), c: node(100e6) },
      migrations: [
        migration({ id: "first" }),
        migration({ id: "second", destination: "c", memoryBytes: 0.25e9, startSeconds: 5 }),
      ],
    });
    // first: 500 MB by 5 s, 50 MB/s until 10 s (750 MB), the last 250 MB at 100 MB/s.
    close(result.migrations[0]!.endSeconds, 12.5);
    close(result.migrations[1]!.endSeconds, 10);
    close(result.migrations[1]!.migrationTimeSeconds, 5);
    close(result.makespanSeconds, 12.5);
  });
  await t.step("migrations on disjoint hosts do not interact", () => {
    const result = simulatePlan({
      nodes: { a: node(100e6), b: node(100e6), c: node(50e6), d: node(50e6) },
      migrations: [migration({ id: "1" }), migration({ id: "2", source: "c", destination: "d" })],
    });
    close(result.migrations[0]!.migrationTimeSeconds, 10);
    close(result.migrations[1]!.migrationTimeSeconds, 20);
  });
  await t.step("an empty plan has makespan 0", () => {
    assert.deepEqual(simulatePlan({ nodes: {}, migrations: [] }), {
      migrations: [],
      makespanSeconds: 0,
    });
  });
});

Deno.test("simulatePlan() runs pre-copy rounds at the bandwidth they get over time", () => {
  // KVM pre-copy, 1 GB, W = 1 GB, p·d = 10 MB/s, limit 0.3 s, link 100 MB/s; a
  // post-copy of 250 MB from the same host from 5 s to 10 s. Round 1 (1 GB)
  // ends at 12.5 s, so 125 MB are dirty (> 30 MB); round 2 sends them in
  // 1.25 s (to 13.75 s); 12.5 MB are dirty, under the limit: stop-and-copy,
  // 0.125 s. At a constant 100 MB/s kvmPrecopy gives 10 + 1 + 0.1 s.
  const result = simulatePlan({
    nodes: { a: node(100e6), b: node(100e6), c: node(100e6) },
    migrations: [
      migration({
        id: "pre",
        method: "kvm-precopy",
        wssBytes: 1e9,
        dirtyPagesPerSecond: 10e6 / PAGE,
      }),
      migration({ id: "post", destination: "c", memoryBytes: 0.25e9, startSeconds: 5 }),
    ],
  });
  close(result.migrations[0]!.endSeconds, 13.875);
  close(result.migrations[0]!.transferredBytes, 1e9 + 125e6 + 12.5e6);
});

Deno.test("simulatePlan() cancels a KVM pre-copy at its timeout, counting what it sent", () => {
  const result = simulatePlan(
    {
      nodes: { a: node(100e6), b: node(100e6) },
      migrations: [migration({ id: "x", method: "kvm-precopy", dirtyPagesPerSecond: 0 })],
    },
    {},
    { kvmPrecopy: { timeoutSeconds: 4 } },
  );
  close(result.migrations[0]!.migrationTimeSeconds, 4);
  close(result.migrations[0]!.transferredBytes, 400e6);
});

Deno.test("simulatePlan() rejects bad plans, parameters and options", async (t) => {
  const base: Plan = {
    nodes: { a: node(1e8), b: node(1e8) },
    migrations: [migration({ id: "x" })],
  };
  const withMigration = (fields: Record<string, unknown>) =>
    ({
      ...base,
      migrations: [{ ...base.migrations[0]!, ...fields }],
    }) as Plan;
  const cases: [string, () => unknown, ErrorConstructor, string][] = [
    [
      "plan not an object",
      () => simulatePlan(null as never),
      TypeError,
      "simulatePlan: invalid input, expected an object (got null)",
    ],
    [
      "migrations not an array",
      () => simulatePlan({ nodes: {} } as never),
      TypeError,
      'simulatePlan: invalid input "migrations", expected an array (got undefined)',
    ],
    [
      "node without uplink",
      () => simulatePlan({ ...base, nodes: { a: { downlinkBytesPerSecond: 1 } } } as never),
      TypeError,
      'simulatePlan: invalid input "nodes.a.uplinkBytesPerSecond", expected a finite number > 0 bytes/s (got undefined)',
    ],
    [
      "unknown method",
      () => simulatePlan(withMigration({ method: "xen" })),
      RangeError,
      'simulatePlan: invalid input "migrations[0].method", expected one of "kvm-precopy", "xen-precopy", "kvm-postcopy" (got "xen")',
    ],
    [
      "negative memory",
      () => simulatePlan(withMigration({ memoryBytes: -1 })),
      RangeError,
      'simulatePlan: invalid input "migrations[0].memoryBytes", expected a finite number > 0 bytes (got -1)',
    ],
    [
      "W > M",
      () => simulatePlan(withMigration({ wssBytes: 2e9 })),
      RangeError,
      'simulatePlan: invalid input "migrations[0].wssBytes", expected bytes <= memoryBytes (1000000000) (got 2000000000)',
    ],
    [
      "unknown node",
      () => simulatePlan(withMigration({ destination: "z" })),
      RangeError,
      'simulatePlan: invalid input "migrations[0].destination", expected a key of "nodes" (got "z")',
    ],
    [
      "same node",
      () => simulatePlan(withMigration({ destination: "a" })),
      RangeError,
      'simulatePlan: invalid input "migrations[0].destination", expected a node other than the source (got "a")',
    ],
    [
      "NaN start",
      () => simulatePlan(withMigration({ startSeconds: NaN })),
      RangeError,
      'simulatePlan: invalid input "migrations[0].startSeconds", expected a finite number seconds (got NaN)',
    ],
    [
      "repeated id",
      () => simulatePlan({ ...base, migrations: [base.migrations[0]!, base.migrations[0]!] }),
      RangeError,
      'simulatePlan: invalid input "migrations[1].id", expected a non-empty string unique in the plan (got "x")',
    ],
    [
      "missing class",
      () => simulatePlan(base, { linkFractions: { "500 Mbit/s": { value: 1 } } }),
      RangeError,
      'simulatePlan: invalid parameter "linkFractions", expected a fraction for link class "800 Mbit/s" (got classes ["500 Mbit/s"])',
    ],
    [
      "zero fraction",
      () => simulatePlan(base, { linkFractions: { "800 Mbit/s": { value: 0 } } }),
      RangeError,
      'simulatePlan: invalid input "linkFractions.800 Mbit/s.value", expected a finite number > 0 (got 0)',
    ],
    [
      "negative overhead",
      () => simulatePlan(base, { overheadSeconds: { value: -1 } }),
      RangeError,
      'simulatePlan: invalid input "overheadSeconds.value", expected a finite number >= 0 seconds (got -1)',
    ],
    [
      "includeStopAndCopy",
      () => simulatePlan(base, {}, { xenPrecopy: { includeStopAndCopy: false } as never }),
      TypeError,
      'simulatePlan: invalid option "xenPrecopy.includeStopAndCopy", expected nothing: a plan\'s migrations always include the stop-and-copy (got false)',
    ],
    [
      "bad downtime limit",
      () => simulatePlan(base, {}, { kvmPrecopy: { downtimeLimitSeconds: -1 } }),
      RangeError,
      'simulatePlan: invalid option "downtimeLimitSeconds", expected a finite number >= 0 seconds (got -1)',
    ],
  ];
  for (const [name, run, type, message] of cases) {
    await t.step(
      name,
      () => assert.throws(run, (e: Error) => e instanceof type && e.message === message),
    );
  }
});
