import assert from "node:assert/strict";
import { RUN_COLUMNS } from "./format_runs_csv.ts";
import { parseRunsCsv } from "./parse_runs_csv.ts";

Deno.test("parseRunsCsv() keeps every cell as text, quotes undone", () => {
  const rows = parseRunsCsv(
    'method,run,message\nkvm-precopy,1,"cancelled, ""60 s"""\nkvm-postcopy,,\n',
  );
  assert.deepEqual(rows, [
    { method: "kvm-precopy", run: "1", message: 'cancelled, "60 s"' },
    { method: "kvm-postcopy", run: "", message: "" },
  ]);
});

Deno.test("parseRunsCsv() reads an empty file as no rows", () => {
  assert.deepEqual(parseRunsCsv(""), []);
  assert.deepEqual(parseRunsCsv("method,run\n"), []);
});

Deno.test("parseRunsCsv() checks the header against the columns given", async (t) => {
  await t.step("the schema's columns, in any order, some missing", () => {
    const rows = parseRunsCsv("run,method\n2,kvm-precopy\n", "runs.csv", { columns: RUN_COLUMNS });
    assert.deepEqual(rows, [{ run: "2", method: "kvm-precopy" }]);
  });
  await t.step("a column the collector would not write back", () => {
    assert.throws(
      () => parseRunsCsv("method,host\nkvm-precopy,a\n", "old/runs.csv", { columns: RUN_COLUMNS }),
      {
        name: "RangeError",
        message:
          `parseRunsCsv: old/runs.csv:1: unknown column "host", expected one of the ${RUN_COLUMNS.length} columns given`,
      },
    );
  });
});

Deno.test("parseRunsCsv() names the file in its errors", () => {
  assert.throws(() => parseRunsCsv("a,b\n1\n", "x/runs.csv"), {
    name: "SyntaxError",
    message: "parseRunsCsv: x/runs.csv:2: ragged row, expected 2 cells (got 1)",
  });
});

Deno.test("parseRunsCsv() reads the committed datasets' headers as RUN_COLUMNS", async () => {
  for (const name of ["qemu-tcg-1gbit", "qemu-tcg-1gbit-downtime-limit"]) {
    const text = await Deno.readTextFile(
      new URL(`../../data/${name}/runs.csv`, import.meta.url),
    );
    const rows = parseRunsCsv(text, `${name}/runs.csv`, { columns: RUN_COLUMNS });
    // The schema's columns in order: up to "message" in a dataset written before the
    // noise columns, up to "host_cpu" before the disturbance columns, all of them in one
    // a later sitting rewrote.
    const keys = Object.keys(rows[0]!);
    assert.ok(
      ["message", "host_cpu"].includes(keys.at(-1)!) || keys.length === RUN_COLUMNS.length,
      name,
    );
    assert.deepEqual(keys, RUN_COLUMNS.slice(0, keys.length));
  }
});
