import assert from "node:assert/strict";
import fc from "fast-check";
import { formatRunsCsv, RUN_COLUMNS } from "./format_runs_csv.ts";
import { parseRunsCsv } from "./parse_runs_csv.ts";

Deno.test("formatRunsCsv() writes the schema header and empty cells for unknowns", () => {
  const text = formatRunsCsv([{
    method: "kvm-precopy",
    migration_time_seconds: 2.069,
    status: "completed",
  }]);
  const [header, line] = text.trimEnd().split("\n");
  assert.equal(header, RUN_COLUMNS.join(","));
  const cells = line!.split(",");
  assert.equal(cells.length, RUN_COLUMNS.length);
  assert.equal(cells[RUN_COLUMNS.indexOf("migration_time_seconds")], "2.069");
  assert.equal(cells[RUN_COLUMNS.indexOf("downtime_seconds")], "");
  assert.ok(text.endsWith("\n"));
});

Deno.test("formatRunsCsv() starts with the run schema's columns", () => {
  assert.deepEqual(RUN_COLUMNS.slice(0, 13), [
    "method",
    "contention",
    "memory_bytes",
    "wss_bytes",
    "dirty_pages_per_second",
    "page_bytes",
    "link_bandwidth_bytes_per_second",
    "migration_time_seconds",
    "downtime_seconds",
    "transferred_bytes",
    "iterations",
    "status",
    "run",
  ]);
});

Deno.test("formatRunsCsv() rejects unknown columns and non-finite numbers", async (t) => {
  await t.step("unknown column", () => {
    assert.throws(() => formatRunsCsv([{ method: "x", colour: "red" }]), {
      name: "RangeError",
      message: 'formatRunsCsv: invalid row 0, expected only known columns (got "colour")',
    });
  });
  await t.step("NaN", () => {
    assert.throws(() => formatRunsCsv([{ migration_time_seconds: NaN }]), {
      name: "RangeError",
      message: "formatRunsCsv: invalid cell, expected a finite number (got NaN)",
    });
  });
});

Deno.test("parseRunsCsv() reads back what formatRunsCsv() writes", () => {
  const columns = ["a", "b", "c"];
  const cellText = fc.string({ maxLength: 12 });
  fc.assert(
    fc.property(fc.array(fc.tuple(cellText, cellText, cellText), { maxLength: 8 }), (cells) => {
      const rows = cells.map(([a, b, c]) => ({ a, b, c }));
      // A row of three empty cells is written as ",,", which reads back as three empty cells.
      assert.deepEqual(parseRunsCsv(formatRunsCsv(rows, columns)), rows);
    }),
  );
});

Deno.test("parseRunsCsv() rejects broken files", async (t) => {
  await t.step("unclosed quote", () => {
    assert.throws(() => parseRunsCsv('a,b\n1,"x\n'), {
      name: "SyntaxError",
      message:
        'parseRunsCsv: runs.csv:2:3: quoted field never closes, expected a closing " before the end of the file',
    });
  });
  await t.step("ragged row", () => {
    assert.throws(() => parseRunsCsv("a,b\n1,2,3\n"), {
      name: "SyntaxError",
      message: "parseRunsCsv: runs.csv:2: ragged row, expected 2 cells (got 3)",
    });
  });
});

Deno.test("parseRunsCsv() and formatRunsCsv() rewrite the committed dataset byte for byte", async () => {
  // A resumed collector rewrites runs.csv with its new rows appended: the old
  // rows must come back exactly as they were.
  const text = await Deno.readTextFile(
    new URL("../../data/qemu-tcg-1gbit/runs.csv", import.meta.url),
  );
  const rows = parseRunsCsv(text);
  assert.ok(rows.length > 200);
  // With the file's own columns; the collector's RUN_COLUMNS add the noise columns, empty on
  // these rows (resume_test.ts checks that rewrite cell by cell).
  const header = text.slice(0, text.indexOf("\n")).split(",");
  assert.equal(formatRunsCsv(rows, header), text);
});
