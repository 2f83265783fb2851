import assert from "node:assert/strict";
import { DatasetError, loadRuns } from "../../mod.ts";

const CORPUS = new URL("../../tests/data_corpus/", import.meta.url);

/** Loads a corpus file and returns the DatasetError's message, asserting the class. */
async function failure(name: string): Promise<string> {
  try {
    await loadRuns(new URL(name, CORPUS));
  } catch (error) {
    assert.ok(error instanceof DatasetError, `${name}: expected a DatasetError, got ${error}`);
    assert.ok(error instanceof SyntaxError);
    assert.equal(error.file, name);
    return error.message;
  }
  assert.fail(`${name}: expected a DatasetError`);
}

Deno.test("loadRuns() rejects each file of the bad-input corpus with its message", async (t) => {
  const cases: [string, string[]][] = [
    ["missing_column.csv", [
      'missing_column.csv:1: missing required column "wss_bytes", expected a "wss_bytes" column (or wss_kib, wss_mib, wss_gib, ...)',
    ]],
    ["unknown_method.csv", [
      'unknown_method.csv:3: column "method": empty cell, expected a method label such as "kvm-precopy"',
      'unknown_method.csv:4: column "method": "kvm precopy!" is not a label, expected letters, digits, spaces and . _ + / : - (at most 64, starting with a letter or digit)',
    ]],
    ["nan_infinity.csv", [
      'nan_infinity.csv:3: column "dirty_pages_per_second": NaN is not a finite number, expected pages/s >= 0',
      'nan_infinity.csv:4: column "migration_time_seconds": Infinity is not a finite number, expected seconds >= 0',
      'nan_infinity.csv:5: column "memory_bytes": inf is not a finite number, expected bytes > 0',
    ]],
    ["nan_python.json", [
      "nan_python.json:1:128: NaN is not JSON, expected a finite number or null",
    ]],
    ["negative.csv", ['negative.csv:3: column "wss_bytes": -5 is negative, expected bytes >= 0']],
    ["wss_above_memory.csv", [
      'wss_above_memory.csv:2: column "wss_bytes": 2147483648 bytes is larger than memory 1073741824 bytes, expected wss <= memory ("full" for the whole memory)',
    ]],
    ["empty.csv", ["empty.csv: the file is empty, expected a header line and at least one run"]],
    ["duplicate_header.csv", [
      'duplicate_header.csv:1:88: column "wss_bytes" appears twice (columns 4 and 7), expected unique column names',
    ]],
    ["ragged_row.csv", ["ragged_row.csv:3: row has 5 fields, expected 7 (one per header column)"]],
    ["truncated.json", [
      "truncated.json:4:1: the JSON ends early (truncated?), expected a quoted key",
    ]],
    ["truncated.jsonl", [
      'truncated.jsonl:2:50: a string never closes (truncated?), expected a closing " (one JSON object per line)',
    ]],
    ["semicolon.csv", [
      'semicolon.csv:1: the header is one column, "method;contention;memory_bytes;wss_by...", expected columns separated by "," (CSV) or a tab (TSV), not ";"',
    ]],
    ["unit_in_cell.csv", [
      'unit_in_cell.csv:2: column "memory_bytes": "1 GiB" is not a number (units belong in the column name, e.g. "memory_mib"), expected bytes > 0',
    ]],
    ["completed_without_time.csv", [
      'completed_without_time.csv:3: column "migration_time_seconds": empty cell (required when status is "completed"), expected seconds >= 0',
    ]],
    ["not_utf8.csv", [
      "not_utf8.csv: the bytes are not UTF-8 text, expected UTF-8 text or gzip-compressed UTF-8 text (save the file as UTF-8, or gzip it)",
    ]],
  ];
  for (const [name, lines] of cases) {
    await t.step(name, async () => {
      const n = lines.length;
      assert.equal(
        await failure(name),
        [`${name}: cannot load runs, ${n} problem${n === 1 ? "" : "s"}`, ...lines].join("\n"),
      );
    });
  }
});

Deno.test("loadRuns() accepts a byte order mark and CRLF line ends", async (t) => {
  const plain = {
    method: "kvm-postcopy",
    contention: "cpu",
    memoryBytes: 1073741824,
    wssBytes: 1073741824,
    dirtyPagesPerSecond: 5120,
    pageBytes: 4096,
    migrationTimeSeconds: 8.6,
    status: "completed",
    extra: {},
  };
  await t.step("BOM: removed, with a warning, the first column still found", async () => {
    const { runs, warnings } = await loadRuns(new URL("bom.csv", CORPUS));
    assert.equal(runs.length, 2);
    assert.deepEqual(runs[1], plain);
    assert.deepEqual(warnings.map((w) => w.message), [
      "bom.csv: byte order mark (U+FEFF) at the start removed",
    ]);
  });
  await t.step("CRLF: no carriage return left in the last column", async () => {
    const { runs, warnings } = await loadRuns(new URL("crlf.csv", CORPUS));
    assert.deepEqual(runs[1], plain);
    assert.equal(runs[0]?.status, "completed");
    assert.deepEqual(warnings, []);
  });
});

Deno.test("loadRuns() reads paths, URLs, text and bytes alike", async () => {
  const path = new URL("bom.csv", CORPUS).pathname;
  const fromPath = await loadRuns(path);
  const fromUrl = await loadRuns(new URL("bom.csv", CORPUS));
  const bytes = await Deno.readFile(path);
  const fromBytes = await loadRuns(bytes, { fileName: "bom.csv" });
  const fromText = await loadRuns(new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes), {
    fileName: "bom.csv",
  });
  assert.deepEqual(fromUrl, fromPath);
  assert.deepEqual(fromBytes, fromPath);
  assert.deepEqual(fromText, fromPath);
});

Deno.test("loadRuns() reads the metadata sidecar beside the file and never modifies the file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const csv = `${dir}/runs.csv`;
    const text =
      "method,contention,memory_bytes,wss_bytes,dirty_pages_per_second,migration_time_seconds\n" +
      "kvm-precopy,none,100,10,0,1\n";
    await Deno.writeTextFile(csv, text);
    assert.equal((await loadRuns(csv)).metadata, undefined);
    await Deno.writeTextFile(
      `${dir}/runs.meta.json`,
      JSON.stringify({ hypervisor: "qemu-kvm", synthetic: true, source: "test" }),
    );
    const { metadata } = await loadRuns(csv);
    assert.deepEqual(metadata, {
      hypervisor: "qemu-kvm",
      synthetic: true,
      source: "test",
      extra: {},
    });
    assert.equal((await loadRuns(csv, { metadata: false })).metadata, undefined);
    await Deno.writeTextFile(`${dir}/other.json`, '{"hypervisor": "xen"}');
    assert.equal(
      (await loadRuns(csv, { metadata: `${dir}/other.json` })).metadata?.hypervisor,
      "xen",
    );
    await Deno.writeTextFile(`${dir}/runs.meta.json`, '{"hypervisor": ');
    await assert.rejects(() => loadRuns(csv), {
      name: "DatasetError",
      message: "runs.meta.json: cannot load runs, 1 problem\n" +
        "runs.meta.json:1:16: the JSON ends early (truncated?), expected a value",
    });
    assert.equal(await Deno.readTextFile(csv), text);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadRuns() reports missing files and wrong sources", async () => {
  await assert.rejects(() => loadRuns("/nonexistent/runs.csv"), {
    name: "NotFound",
    message:
      'loadRuns: cannot read "/nonexistent/runs.csv": no such file, expected an existing dataset file (a string with a line break is read as dataset text)',
  });
  await assert.rejects(() => loadRuns(42 as unknown as string), {
    name: "TypeError",
    message: "loadRuns: invalid source, expected a path, URL, text or Uint8Array (got number)",
  });
  await assert.rejects(() => loadRuns(new URL("ftp://example.org/runs.csv")), {
    name: "TypeError",
    message:
      'loadRuns: invalid source URL "ftp://example.org/runs.csv", expected a file:, http: or https: URL',
  });
});

/** Gzips text with the web-standard CompressionStream. */
async function gzip(text: string): Promise<Uint8Array> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const SMALL_CSV =
  "method,contention,memory_mib,wss_bytes,dirty_pages_per_second,migration_time_seconds\n" +
  "kvm-precopy,none,1024,full,5120,3.5\n" +
  "kvm-postcopy,cpu,1024,0,0,8.25\n";

Deno.test("loadRuns() reads gzipped files by name or by their magic bytes", async (t) => {
  const dir = await Deno.makeTempDir();
  try {
    const plain = await loadRuns(SMALL_CSV, { fileName: "runs.csv" });
    const packed = await gzip(SMALL_CSV);
    await Deno.writeFile(`${dir}/runs.csv.gz`, packed);
    await t.step("a .csv.gz path, with the sidecar beside it", async () => {
      await Deno.writeTextFile(`${dir}/runs.meta.json`, '{"hypervisor": "qemu"}');
      const loaded = await loadRuns(`${dir}/runs.csv.gz`);
      assert.deepEqual(loaded.runs, plain.runs);
      assert.deepEqual(loaded.conversions, plain.conversions);
      assert.equal(loaded.format, "csv");
      assert.equal(loaded.metadata?.hypervisor, "qemu");
    });
    await t.step("gzip bytes, with no name", async () => {
      assert.deepEqual((await loadRuns(packed)).runs, plain.runs);
    });
    await t.step("gzip data under a name without .gz", async () => {
      await Deno.writeFile(`${dir}/packed.csv`, packed);
      assert.deepEqual((await loadRuns(`${dir}/packed.csv`)).runs, plain.runs);
    });
    await t.step("gzipped JSON Lines, format from the name before .gz", async () => {
      const jsonl = plain.runs.map((run) => JSON.stringify(run)).join("\n");
      await Deno.writeFile(`${dir}/runs.jsonl.gz`, await gzip(jsonl));
      const loaded = await loadRuns(`${dir}/runs.jsonl.gz`);
      assert.equal(loaded.format, "jsonl");
      assert.deepEqual(loaded.runs, plain.runs);
    });
    await t.step("a message names the .gz file", async () => {
      await Deno.writeFile(`${dir}/bad.csv.gz`, await gzip(SMALL_CSV.replace("3.5", "-1")));
      await assert.rejects(() => loadRuns(`${dir}/bad.csv.gz`), {
        name: "DatasetError",
        message: "bad.csv.gz: cannot load runs, 1 problem\n" +
          'bad.csv.gz:2: column "migration_time_seconds": -1 is negative, expected seconds >= 0',
      });
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadRuns() says plainly what is wrong with a folder, an empty file or a sidecar", async (t) => {
  const dir = await Deno.makeTempDir();
  try {
    await t.step("a folder given as the file", async () => {
      await assert.rejects(() => loadRuns(dir), {
        name: "IsADirectory",
        message: `loadRuns: cannot read "${dir}": it is a folder, expected a dataset file ` +
          `(a dataset folder's runs are in "${dir}/runs.csv")`,
      });
    });
    await t.step("an empty file", async () => {
      await Deno.writeTextFile(`${dir}/runs.csv`, "");
      await assert.rejects(() => loadRuns(`${dir}/runs.csv`), {
        name: "DatasetError",
        message: "runs.csv: cannot load runs, 1 problem\n" +
          "runs.csv: the file is empty, expected a header line and at least one run",
      });
    });
    await t.step("an empty gzipped file", async () => {
      await Deno.writeFile(`${dir}/empty.csv.gz`, await gzip(""));
      await assert.rejects(() => loadRuns(`${dir}/empty.csv.gz`), {
        name: "DatasetError",
        message: "empty.csv.gz: cannot load runs, 1 problem\n" +
          "empty.csv.gz: the file is empty, expected a header line and at least one run",
      });
    });
    await t.step("a sidecar that is a folder", async () => {
      await Deno.writeTextFile(`${dir}/runs.csv`, SMALL_CSV);
      await Deno.mkdir(`${dir}/runs.meta.json`);
      await assert.rejects(() => loadRuns(`${dir}/runs.csv`), {
        name: "IsADirectory",
        message: `loadRuns: cannot read "${dir}/runs.meta.json": it is a folder, ` +
          "expected a metadata file (JSON)",
      });
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadRuns() refuses a value whose unit conversion overflows", async (t) => {
  const header =
    "method,contention,memory_mib,wss_bytes,dirty_pages_per_second,migration_time_seconds\n";
  await t.step("a CSV cell", async () => {
    const error = await loadRuns(`${header}kvm-precopy,none,1e308,0,0,1\n`, {
      fileName: "runs.csv",
    }).then(() => undefined, (e) => e);
    assert.ok(error instanceof DatasetError);
    const problem = error.problems[0];
    assert.equal(problem?.line, 2);
    assert.equal(problem?.column, 18);
    assert.equal(problem?.field, "memory_mib");
    assert.equal(problem?.value, "1e308");
    assert.equal(
      problem?.message,
      'runs.csv:2: column "memory_mib": 1e308 MiB overflows when converted to bytes ' +
        "(it would be Infinity), expected MiB > 0 and below 1.71e302 MiB",
    );
  });
  await t.step("a JSON number", async () => {
    const line = JSON.stringify({
      method: "kvm-precopy",
      contention: "none",
      memory_bytes: 1e9,
      wss_bytes: 0,
      dirty_pages_per_second: 0,
      migration_time_minutes: 1e307,
    });
    await assert.rejects(() => loadRuns(`${line}\n`, { fileName: "runs.jsonl" }), {
      name: "DatasetError",
      message: "runs.jsonl: cannot load runs, 1 problem\n" +
        'runs.jsonl:1: column "migration_time_minutes": 1e+307 min overflows when converted ' +
        "to seconds (it would be Infinity), expected min >= 0 and below 3.00e306 min",
    });
  });
  await t.step("the largest value that converts still loads", async () => {
    const { runs } = await loadRuns(`${header}kvm-precopy,none,1e302,0,0,1\n`);
    assert.equal(runs[0]?.memoryBytes, 1e302 * 1048576);
  });
});

Deno.test("loadRuns() gives the line where each run starts, in every format", async (t) => {
  const header =
    "method,contention,memory_bytes,wss_bytes,dirty_pages_per_second,migration_time_seconds,note";
  await t.step("CSV with a blank line and a quoted cell over two lines", async () => {
    const text = [
      header,
      "kvm-precopy,none,1e9,0,0,1,a",
      "",
      'kvm-precopy,none,1e9,0,0,2,"two',
      'lines"',
      "kvm-precopy,none,1e9,0,0,3,c",
    ].join("\n");
    const { runs, lines } = await loadRuns(text, { fileName: "runs.csv" });
    assert.deepEqual(runs.map((r) => r.migrationTimeSeconds), [1, 2, 3]);
    assert.deepEqual(lines, [2, 4, 6]);
  });
  await t.step("JSON Lines and a pretty-printed JSON array", async () => {
    const run = {
      method: "kvm-postcopy",
      contention: "none",
      memory_bytes: 1e9,
      wss_bytes: 0,
      dirty_pages_per_second: 0,
      migration_time_seconds: 8,
    };
    const jsonl = `${JSON.stringify(run)}\n\n${JSON.stringify(run)}\n`;
    assert.deepEqual((await loadRuns(jsonl, { fileName: "runs.jsonl" })).lines, [1, 3]);
    const array = JSON.stringify([run, run], null, 2);
    assert.deepEqual((await loadRuns(array, { fileName: "runs.json" })).lines, [2, 10]);
  });
});

Deno.test("loadRuns() says a QMP trace is for importQmp", async () => {
  const trace = new URL(
    "../../data/qemu-tcg-1gbit/traces/kvm-postcopy_cpu_w0_d1024_r1.qmp.jsonl.gz",
    import.meta.url,
  );
  const name = "kvm-postcopy_cpu_w0_d1024_r1.qmp.jsonl.gz";
  await assert.rejects(() => loadRuns(trace), {
    name: "DatasetError",
    message: `${name}: cannot load runs, 1 problem\n` +
      `${name}:1: the records are QEMU QMP replies (key "query_migrate"), not runs, ` +
      "expected run rows (read a QMP trace with importQmp)",
  });
});
