import assert from "node:assert/strict";
import { parseRuns } from "../src/data/parse_runs.ts";
import { loadRunColumns } from "../src/data/load_run_columns.ts";
import { loadRuns } from "../src/data/load_runs.ts";
import { MILLION_COLUMNS, MILLION_TRUTH, millionCsvChunks, writeMillionCsv } from "./_million.ts";
import { columnChecksums, runChecksums } from "./_million_load.ts";
import { parseFitTable } from "./cases/million.ts";

Deno.test("millionCsvChunks() writes a seeded synthetic mix the loader reads", () => {
  const text = [...millionCsvChunks({ rows: 3000, chunkRows: 700 })].join("");
  assert.equal(text, [...millionCsvChunks({ rows: 3000 })].join(""), "chunking changes nothing");
  assert.notEqual(text, [...millionCsvChunks({ rows: 3000, seed: 3 })].join(""));
  assert.equal(text.split("\n")[0], MILLION_COLUMNS.join(","));
  const { runs } = parseRuns(text, { format: "csv" });
  assert.equal(runs.length, 3000);
  const postcopy = runs.filter((r) => r.method === "kvm-postcopy").length;
  assert.ok(postcopy / 3000 > 0.96 && postcopy / 3000 < 0.995, `post-copy share ${postcopy}`);
  assert.deepEqual(
    [...new Set(runs.map((r) => r.contention))].sort(),
    Object.keys(MILLION_TRUTH.factors).sort(),
  );
  // Achieved rates vary run to run: many distinct values, each 90-100 % of a requested rate.
  assert.ok(new Set(runs.map((r) => r.dirtyPagesPerSecond)).size > 1000);
  const failed = runs.filter((r) => r.status === "failed").length;
  assert.ok(failed > 10 && failed < 60, `failed ${failed}`);
  const sums = runChecksums(runs) as Record<string, [number, number]>;
  assert.equal(sums.memoryBytes![1], 3000);
  assert.equal(sums.downtimeSeconds![1], 0);
});

Deno.test("parseFitTable() reads B and the factors from deno task fit's tables", () => {
  const table = [
    "bandwidth   Mbit/s  95 % interval (Mbit/s)     bytes/s",
    "B (none)    9001.9  [9001.2, 9002.5]       1.1252e+9",
    "",
    "group    factor  95 % interval",
    "cpu      0.9497  [0.9496, 0.9498]",
    "memory   0.8500  [0.8499, 0.8501]",
    "network  0.3500  [0.3499, 0.3500]",
    "none     1.0000  [1.0000, 1.0000]",
    "",
    "group  runs  RMSE (s)",
    "cpu    2000  0.100",
  ].join("\n");
  assert.deepEqual(parseFitTable(table), {
    bandwidth: 1.1252e9,
    factors: { none: 1, cpu: 0.9497, network: 0.35, memory: 0.85 },
  });
});

Deno.test("columnChecksums() of the columns equals runChecksums() of the runs", async () => {
  const path = await Deno.makeTempFile({ suffix: ".csv" });
  try {
    await writeMillionCsv(path, { rows: 3000 });
    const { columns, runs } = await loadRunColumns(path);
    assert.equal(runs, null, "the bench's file is read straight into columns");
    const { runs: objects } = await loadRuns(path);
    assert.deepEqual(columnChecksums(columns), runChecksums(objects));
  } finally {
    await Deno.remove(path);
  }
});
