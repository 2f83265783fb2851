import assert from "node:assert/strict";
import { DatasetError } from "./dataset_error.ts";
import {
  columnsFromRuns,
  FAST_COLUMNS,
  loadRunColumns,
  runsFromColumns,
} from "./load_run_columns.ts";
import { loadRuns } from "./load_runs.ts";

const HEADER = FAST_COLUMNS.join(",");
const PROJECT = new URL("../../data/qemu-tcg-1gbit/runs.csv", import.meta.url).pathname;

/** A temporary file with this text, removed after `body`. */
async function withFile(
  text: string | Uint8Array,
  body: (path: string) => Promise<void>,
  suffix = ".csv",
): Promise<void> {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/runs${suffix}`;
  try {
    if (typeof text === "string") await Deno.writeTextFile(path, text);
    else await Deno.writeFile(path, text);
    await body(path);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Seeded rows in the fast columns, with the cells the direct path reads in every form. */
function rows(count: number, seed: number): string[] {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const methods = ["kvm-postcopy", "xen-precopy", "kvm-precopy"];
  const groups = ["none", "cpu", "network", "memory"];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const memory = [1073741824, 2147483648, 4294967296][Math.floor(next() * 3)]!;
    const failed = next() < 0.05;
    out.push([
      methods[Math.floor(next() * 3)],
      groups[Math.floor(next() * 4)],
      next() < 0.1 ? "1.073741824e9" : memory,
      next() < 0.1 ? "full" : Math.floor(next() * 64) * 1048576,
      (next() * 60000).toFixed(Math.floor(next() * 4)),
      next() < 0.1 ? "" : 4096,
      next() < 0.5 ? 1.25e9 : "125000000.5",
      failed && next() < 0.5 ? "" : (0.5 + 20 * next()).toPrecision(1 + Math.floor(next() * 17)),
      failed ? "failed" : "completed",
    ].join(","));
  }
  return out;
}

Deno.test("loadRunColumns() reads a plain CSV straight into columns, as loadRuns reads it", async (t) => {
  const cases: Record<string, string> = {
    "every cell form": [HEADER, ...rows(3000, 1)].join("\n") + "\n",
    "no final newline": [HEADER, ...rows(50, 2)].join("\n"),
    "CRLF lines": [HEADER, ...rows(50, 3)].join("\r\n") + "\r\n",
    "columns reordered, optional ones left out": [
      "status,migration_time_seconds,wss_bytes,memory_bytes,dirty_pages_per_second,contention,method",
      "completed,3.5,0,1073741824,10,none,kvm-postcopy",
      "failed,,full,1073741824,10.5,cpu,xen-precopy",
    ].join("\n"),
    "no status column": [
      "method,contention,memory_bytes,wss_bytes,dirty_pages_per_second,migration_time_seconds",
      "kvm-postcopy,none,1073741824,0,10,3.5",
    ].join("\n"),
    // Lines across the 4 MiB chunks of the read.
    "several chunks": [HEADER, ...rows(70_000, 4)].join("\n") + "\n",
  };
  for (const [name, text] of Object.entries(cases)) {
    await t.step(name, async () => {
      await withFile(text, async (path) => {
        const direct = await loadRunColumns(path);
        const loaded = await loadRuns(path);
        assert.equal(direct.runs, null, "read straight into the columns");
        assert.deepEqual(runsFromColumns(direct.columns), loaded.runs);
        assert.deepEqual([...direct.columns.lines], loaded.lines);
        assert.deepEqual(direct.columns, columnsFromRuns(loaded.runs, loaded.lines));
        assert.deepEqual([direct.warnings, direct.conversions], [[], []]);
      });
    });
  }
});

Deno.test("loadRunColumns() leaves any other file to loadRuns, with its warnings and conversions", async (t) => {
  const good = "kvm-postcopy,none,1073741824,0,10,4096,1.25e9,3.5,completed";
  const cases: Record<string, { text: string | Uint8Array; suffix?: string; warns?: boolean }> = {
    "a unit to convert": {
      text: HEADER.replace("memory_bytes", "memory_gib") +
        "\nkvm-postcopy,none,1,0,10,4096,1e9,3,completed\n",
    },
    "an extra column": { text: `${HEADER},host\n${good},a\n` },
    "a label outside the vocabulary": {
      text: `${HEADER}\n${good.replace("none", "disk")}\n`,
      warns: true,
    },
    "a quoted cell": { text: `${HEADER}\n${good.replace("none", '"none"')}\n` },
    "a byte order mark": { text: `\ufeff${HEADER}\n${good}\n`, warns: true },
    "a blank line": { text: `${HEADER}\n${good}\n\n${good}\n` },
    "padded cells": { text: `${HEADER}\n${good.replace(",10,", ", 10 ,")}\n` },
    "a signed number": { text: `${HEADER}\n${good.replace(",10,", ",+10,")}\n` },
    "a TSV file": { text: `${HEADER}\n${good}\n`.replaceAll(",", "\t"), suffix: ".tsv" },
    "gzip": {
      text: new Uint8Array(
        await new Response(
          new Blob([`${HEADER}\n${good}\n`]).stream().pipeThrough(new CompressionStream("gzip")),
        ).arrayBuffer(),
      ),
      suffix: ".csv.gz",
    },
  };
  for (const [name, { text, suffix, warns }] of Object.entries(cases)) {
    await t.step(name, async () => {
      await withFile(text, async (path) => {
        const result = await loadRunColumns(path);
        const loaded = await loadRuns(path);
        assert.deepEqual(result.runs, loaded.runs, "the objects of loadRuns");
        assert.deepEqual(result.columns, columnsFromRuns(loaded.runs, loaded.lines));
        assert.deepEqual(result.warnings, loaded.warnings);
        assert.deepEqual(result.conversions, loaded.conversions);
        assert.equal(result.warnings.length > 0, warns === true);
      }, suffix);
    });
  }
  await t.step("the project's runs.csv (collector columns)", async () => {
    const result = await loadRunColumns(PROJECT);
    const loaded = await loadRuns(PROJECT);
    assert.notEqual(result.runs, null);
    assert.deepEqual(result.columns, columnsFromRuns(loaded.runs, loaded.lines));
  });
});

Deno.test("loadRunColumns() refuses what loadRuns refuses, with its message", async (t) => {
  const cases: Record<string, string> = {
    "wss above memory":
      `${HEADER}\nkvm-postcopy,none,1073741824,2147483648,10,4096,1e9,3,completed\n`,
    "a completed run without a time":
      `${HEADER}\nkvm-postcopy,none,1073741824,0,10,4096,1e9,,completed\n`,
    "a short row": `${HEADER}\nkvm-postcopy,none,1073741824,0,10\n`,
    "a zero memory": `${HEADER}\nkvm-postcopy,none,0,0,10,4096,1e9,3,completed\n`,
    "only a header": `${HEADER}\n`,
  };
  for (const [name, text] of Object.entries(cases)) {
    await t.step(name, async () => {
      await withFile(text, async (path) => {
        const expected = await loadRuns(path).then(() => null, (error: Error) => error);
        assert.ok(expected instanceof DatasetError);
        await assert.rejects(() => loadRunColumns(path), (error: Error) => {
          assert.ok(error instanceof DatasetError);
          assert.equal(error.message, expected.message);
          return true;
        });
      });
    });
  }
  await t.step("a path that is not a string", async () => {
    await assert.rejects(
      () => loadRunColumns(1 as unknown as string),
      new TypeError("loadRunColumns: invalid path, expected a string (got number)"),
    );
  });
});
