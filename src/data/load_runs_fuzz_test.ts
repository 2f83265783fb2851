// Fuzz tests: random bytes and random mutations of valid files. loadRuns and
// parseRuns either return valid rows or throw a DatasetError, nothing else.
// Seeded, so a failure reproduces.

import assert from "node:assert/strict";
import fc from "fast-check";
import { DatasetError, loadRuns, type MigrationRun, parseRuns, type RunFormat } from "../../mod.ts";

const VALID_CSV = [
  "method,contention,memory_bytes,wss_mib,dirty_pages_per_second,migration_time_seconds,downtime_ms,iterations,status,run,note",
  "kvm-precopy,none,1073741824,256,5120,3.25,41,5,completed,0,a",
  'kvm-postcopy,cpu,1073741824,full,5120,8.6,,,completed,1,"b, ""c"""',
  "xen-precopy,memory,1610612736,0,0,,,,failed,2,",
].join("\n") + "\n";

const VALID_JSON = JSON.stringify(parseRuns(VALID_CSV).runs, null, 1);
const VALID_JSONL = parseRuns(VALID_CSV).runs.map((r) => JSON.stringify(r)).join("\n") + "\n";

/** The invariants every returned run must satisfy. */
function assertValid(runs: MigrationRun[], notCompleted: number[]): void {
  assert.ok(runs.length > 0);
  runs.forEach((run, i) => {
    assert.equal(typeof run.method, "string");
    assert.ok(run.method.length > 0);
    assert.ok(run.contention.length > 0);
    assert.ok(Number.isFinite(run.memoryBytes) && run.memoryBytes > 0);
    assert.ok(
      Number.isFinite(run.wssBytes) && run.wssBytes >= 0 && run.wssBytes <= run.memoryBytes,
    );
    assert.ok(Number.isFinite(run.dirtyPagesPerSecond) && run.dirtyPagesPerSecond >= 0);
    assert.ok(Number.isInteger(run.pageBytes) && run.pageBytes > 0);
    if (run.status === "completed") {
      assert.ok(Number.isFinite(run.migrationTimeSeconds) && run.migrationTimeSeconds >= 0);
    } else {
      assert.ok(notCompleted.includes(i));
      assert.ok(Number.isNaN(run.migrationTimeSeconds) || run.migrationTimeSeconds >= 0);
    }
    for (
      const key of ["downtimeSeconds", "transferredBytes", "linkBandwidthBytesPerSecond"] as const
    ) {
      const v = run[key];
      if (v !== undefined) assert.ok(Number.isFinite(v) && v >= 0);
    }
    for (const key of ["iterations", "run"] as const) {
      const v = run[key];
      if (v !== undefined) assert.ok(Number.isInteger(v) && v >= 0);
    }
    for (const v of Object.values(run.extra)) {
      assert.ok(typeof v === "string" || typeof v === "number");
    }
  });
}

function check(fn: () => { runs: MigrationRun[]; notCompleted: number[] }): void {
  let result;
  try {
    result = fn();
  } catch (error) {
    if (error instanceof DatasetError) {
      assert.ok(error.problems.length > 0 && error.problems.length <= 20);
      assert.ok(error.problemCount >= error.problems.length);
      return;
    }
    throw error;
  }
  assertValid(result.runs, result.notCompleted);
}

const PIECES = [
  ",",
  '"',
  "\n",
  "\r\n",
  "\r",
  "\t",
  "{",
  "}",
  "[",
  "]",
  ":",
  "-",
  "-5",
  "NaN",
  "Infinity",
  "full",
  "1e309",
  "\uFEFF",
  " ",
  "0",
  "completed",
  "failed",
  "null",
  "\\",
  "é",
];

/** A random edit: delete, insert a piece, duplicate or truncate. */
const edit = fc.oneof(
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), length: fc.nat(20) }),
  fc.record({
    kind: fc.constant("insert" as const),
    at: fc.nat(),
    piece: fc.constantFrom(...PIECES),
  }),
  fc.record({
    kind: fc.constant("insertRandom" as const),
    at: fc.nat(),
    piece: fc.string({ maxLength: 8 }),
  }),
  fc.record({ kind: fc.constant("duplicate" as const), at: fc.nat(), length: fc.nat(40) }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
);

type Edit = typeof edit extends fc.Arbitrary<infer T> ? T : never;

function apply(text: string, edits: Edit[]): string {
  let t = text;
  for (const e of edits) {
    const at = t.length === 0 ? 0 : e.at % (t.length + 1);
    if (e.kind === "delete") t = t.slice(0, at) + t.slice(at + e.length);
    else if (e.kind === "insert" || e.kind === "insertRandom") {
      t = t.slice(0, at) + e.piece + t.slice(at);
    } else if (e.kind === "duplicate") {
      t = t.slice(0, at) + t.slice(at, at + e.length) + t.slice(at);
    } else t = t.slice(0, at);
  }
  return t;
}

Deno.test("parseRuns() on mutated valid files returns valid rows or throws DatasetError", () => {
  for (
    const [format, text] of [["csv", VALID_CSV], ["json", VALID_JSON], [
      "jsonl",
      VALID_JSONL,
    ]] as const
  ) {
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 6 }), (edits) => {
        check(() => parseRuns(apply(text, edits), { format: format as RunFormat }));
        check(() => parseRuns(apply(text, edits))); // format sniffed from the text
      }),
      { seed: 20261125, numRuns: 400 },
    );
  }
});

Deno.test("loadRuns() on random bytes returns valid rows or throws DatasetError", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.uint8Array({ maxLength: 600 }),
      fc.constantFrom("csv", "tsv", "json", "jsonl"),
      async (bytes, format) => {
        let result;
        try {
          result = await loadRuns(bytes, { format: format as RunFormat });
        } catch (error) {
          if (error instanceof DatasetError) return;
          throw error;
        }
        assertValid(result.runs, result.notCompleted);
      },
    ),
    { seed: 7, numRuns: 300 },
  );
});

Deno.test("loadRuns() on random text made of CSV pieces returns valid rows or throws DatasetError", () => {
  const header = VALID_CSV.slice(0, VALID_CSV.indexOf("\n") + 1);
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom(...PIECES, "kvm-precopy", "1073741824", "3.5"), { maxLength: 80 }),
      (pieces) => {
        check(() => parseRuns(header + pieces.join("")));
      },
    ),
    { seed: 11, numRuns: 400 },
  );
});

Deno.test("parseRuns() does not hang on deeply nested or long input", () => {
  const deep = "[".repeat(100000);
  assert.throws(() => parseRuns(deep, { format: "json" }), DatasetError);
  const quotes = '"'.repeat(100001);
  assert.throws(() => parseRuns(quotes), DatasetError);
});
