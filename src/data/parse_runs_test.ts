import assert from "node:assert/strict";
import { DatasetError, type MigrationRun, parseRuns, xenPrecopy } from "../../mod.ts";

const HEADER =
  "method,contention,memory_bytes,wss_bytes,dirty_pages_per_second,migration_time_seconds";

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof DatasetError, `expected a DatasetError, got ${error}`);
    assert.ok(error instanceof SyntaxError);
    return error.problems.map((p) => p.message);
  }
  assert.fail("expected a DatasetError");
}

Deno.test("parseRuns() reads the schema columns into typed SI rows", () => {
  const text = [
    `${HEADER},page_bytes,link_bandwidth_bytes_per_second,downtime_seconds,transferred_bytes,iterations,status,run`,
    "xen-precopy,none,1610612736,268435456,15360,14.2,4096,125000000,0.09,2147483648,7,completed,0",
  ].join("\n");
  const { runs, conversions, warnings, notCompleted, format, metadata } = parseRuns(text);
  assert.equal(format, "csv");
  assert.equal(metadata, undefined);
  assert.deepEqual(conversions, []);
  assert.deepEqual(warnings, []);
  assert.deepEqual(notCompleted, []);
  assert.deepEqual(runs, [{
    method: "xen-precopy",
    contention: "none",
    memoryBytes: 1610612736,
    wssBytes: 268435456,
    dirtyPagesPerSecond: 15360,
    pageBytes: 4096,
    linkBandwidthBytesPerSecond: 125000000,
    migrationTimeSeconds: 14.2,
    downtimeSeconds: 0.09,
    transferredBytes: 2147483648,
    iterations: 7,
    status: "completed",
    run: 0,
    extra: {},
  }]);
});

Deno.test("parseRuns() fills defaults and takes wss full as the whole memory", () => {
  const { runs } = parseRuns(`${HEADER}\nkvm-postcopy,cpu,1e9,FULL,0,8\n`);
  assert.equal(runs[0]?.wssBytes, 1e9);
  assert.equal(runs[0]?.pageBytes, 4096);
  assert.equal(runs[0]?.status, "completed");
  assert.equal("downtimeSeconds" in (runs[0] ?? {}), false);
});

Deno.test("parseRuns() converts unit-suffixed columns once and lists each conversion", async (t) => {
  const text = [
    "method,contention,memory_gib,wss_mib,dirty_pages_per_second,bandwidth_mbps,migration_time_ms,downtime_ms,transferred_mb",
    "kvm-precopy,none,1.5,256,5120,1000,12900,300,2000",
  ].join("\n");
  const { runs, conversions } = parseRuns(text, { fileName: "units.csv" });
  const run = runs[0];
  await t.step("values", () => {
    assert.equal(run?.memoryBytes, 1610612736);
    assert.equal(run?.wssBytes, 268435456);
    assert.equal(run?.linkBandwidthBytesPerSecond, 125e6);
    assert.equal(run?.migrationTimeSeconds, 12.9);
    assert.equal(run?.downtimeSeconds, 0.3);
    assert.equal(run?.transferredBytes, 2e9);
  });
  await t.step("conversions", () => {
    assert.deepEqual(
      conversions.map((c) => [c.column, c.schemaColumn, c.fromUnit, c.toUnit, c.factor]),
      [
        ["memory_gib", "memory_bytes", "GiB", "bytes", 1073741824],
        ["wss_mib", "wss_bytes", "MiB", "bytes", 1048576],
        ["bandwidth_mbps", "link_bandwidth_bytes_per_second", "Mbit/s", "bytes/s", 125000],
        ["migration_time_ms", "migration_time_seconds", "ms", "seconds", 0.001],
        ["downtime_ms", "downtime_seconds", "ms", "seconds", 0.001],
        ["transferred_mb", "transferred_bytes", "MB", "bytes", 1e6],
      ],
    );
  });
  await t.step("link_bandwidth_mbps and a plain rename", () => {
    const r = parseRuns(
      "method,contention,memory_bytes,wss_bytes,dirty_pages_per_second,migration_time_seconds,link_bandwidth_mbps\n" +
        "a,b,100,10,0,1,8\n",
    );
    assert.equal(r.runs[0]?.linkBandwidthBytesPerSecond, 1e6);
    const renamed = parseRuns(
      `${HEADER},bandwidth_bytes_per_second\nkvm-precopy,none,100,10,0,1,5\n`,
    );
    assert.equal(renamed.runs[0]?.linkBandwidthBytesPerSecond, 5);
    assert.deepEqual(renamed.conversions[0]?.column, "bandwidth_bytes_per_second");
    assert.deepEqual(renamed.conversions[0]?.factor, 1);
  });
  await t.step("two columns for one field is a problem", () => {
    assert.deepEqual(
      problemsOf(() =>
        parseRuns(`${HEADER},wss_mib\nkvm-precopy,none,100,10,0,1,1\n`, { fileName: "two.csv" })
      ),
      ['two.csv:1:88: columns "wss_bytes" and "wss_mib" both give wss_bytes, expected one column for wss_bytes'],
    );
  });
});

Deno.test("parseRuns() keeps other labels and warns once per label", () => {
  const text = `${HEADER}\nqemu-multifd,io,100,10,0,1\nqemu-multifd,io,100,10,0,2\n`;
  const { runs, warnings } = parseRuns(text, { fileName: "labels.csv" });
  assert.equal(runs[1]?.method, "qemu-multifd");
  assert.deepEqual(warnings.map((w) => [w.message, w.count]), [
    [
      'labels.csv: method "qemu-multifd" is not one of "xen-precopy", "xen-precopy-policy", "kvm-precopy", "kvm-postcopy"; kept as given',
      2,
    ],
    [
      'labels.csv: contention "io" is not one of "none", "cpu", "network", "memory"; kept as given',
      2,
    ],
  ]);
});

Deno.test("parseRuns() reads TSV, JSON arrays and JSON Lines the same way", async (t) => {
  const expected = parseRuns(`${HEADER},host\nkvm-precopy,none,100,10,5,1.5,a\n`).runs;
  await t.step("TSV", () => {
    const tsv = `${HEADER.replaceAll(",", "\t")}\thost\nkvm-precopy\tnone\t100\t10\t5\t1.5\ta\n`;
    const r = parseRuns(tsv);
    assert.equal(r.format, "tsv");
    assert.deepEqual(r.runs, expected);
  });
  await t.step("JSON array", () => {
    const json = JSON.stringify([{
      method: "kvm-precopy",
      contention: "none",
      memory_bytes: 100,
      wss_bytes: 10,
      dirty_pages_per_second: 5,
      migration_time_seconds: 1.5,
      host: "a",
    }]);
    const r = parseRuns(json);
    assert.equal(r.format, "json");
    assert.deepEqual(r.runs, expected);
  });
  await t.step("our own runs written with JSON.stringify", () => {
    const r = parseRuns(JSON.stringify(expected), { fileName: "runs.json" });
    assert.deepEqual(r.runs, expected);
  });
  await t.step("JSON Lines with a blank line and CRLF", () => {
    const line = JSON.stringify({
      method: "kvm-precopy",
      contention: "none",
      memory_bytes: 100,
      wss_bytes: "10",
      dirty_pages_per_second: 5,
      migration_time_seconds: 1.5,
      host: "a",
    });
    const r = parseRuns(`${line}\r\n\r\n${line}\r\n`, { fileName: "runs.jsonl" });
    assert.deepEqual(r.runs, [...expected, ...expected]);
  });
  await t.step("JSON record lines in messages", () => {
    const json = '[\n{"method":"a","contention":"b","memory_bytes":1,"wss_bytes":1,' +
      '"dirty_pages_per_second":0,"migration_time_seconds":1},\n' +
      '{"method":"a","contention":"b","memory_bytes":1,"wss_bytes":1,"dirty_pages_per_second":-1,' +
      '"migration_time_seconds":true}\n]';
    assert.deepEqual(problemsOf(() => parseRuns(json, { fileName: "r.json" })), [
      'r.json:3: column "dirty_pages_per_second": -1 is negative, expected pages/s >= 0',
      'r.json:3: column "migration_time_seconds": true is not a number, expected seconds >= 0',
    ]);
  });
  await t.step("a JSON record without a required key", () => {
    const jsonl = '{"method":"a","contention":"b","memory_bytes":1,"wss_bytes":null,' +
      '"dirty_pages_per_second":0,"migration_time_seconds":1}\n' +
      '{"method":"a","contention":"b","memory_bytes":1,"dirty_pages_per_second":0}\n';
    assert.deepEqual(problemsOf(() => parseRuns(jsonl, { fileName: "r.jsonl" })), [
      'r.jsonl:1: column "wss_bytes": missing or null, expected bytes >= 0 or "full"',
      'r.jsonl:2: column "wss_bytes": missing or null, expected bytes >= 0 or "full"',
      'r.jsonl:2: column "migration_time_seconds": missing or null (required when status is "completed"), expected seconds >= 0',
    ]);
  });
  await t.step("a JSON record that is not an object", () => {
    assert.deepEqual(problemsOf(() => parseRuns("[1]", { fileName: "r.json" })), [
      "r.json:1:2: 1 is not an object, expected one JSON object per run, with column names as keys",
    ]);
  });
});

Deno.test("parseRuns() handles RFC 4180 quoting", async (t) => {
  await t.step("quotes, doubled quotes and line breaks inside quotes", () => {
    const text =
      `${HEADER},note\n"kvm-precopy",none,100,10,0,1,"a ""b"", c\nd"\nkvm-precopy,none,100,10,0,2,x\n`;
    const { runs } = parseRuns(text);
    assert.equal(runs[0]?.extra.note, 'a "b", c\nd');
    assert.equal(runs[1]?.migrationTimeSeconds, 2);
  });
  await t.step("an unclosed quote", () => {
    assert.deepEqual(
      problemsOf(() =>
        parseRuns(`${HEADER}\nkvm-precopy,none,100,10,0,"1\n`, { fileName: "q.csv" })
      ),
      [
        'q.csv:2:27: quoted field never closes, expected a closing " before the end of the file',
      ],
    );
  });
  await t.step("a bare quote", () => {
    assert.deepEqual(
      problemsOf(() =>
        parseRuns(`${HEADER}\nkvm-precopy,no"ne,100,10,0,1\n`, { fileName: "q.csv" })
      ),
      [
        'q.csv:2:15: bare " in an unquoted field ("no\\"ne"), expected the whole field in quotes, with "" for each quote inside it',
      ],
    );
  });
});

Deno.test("parseRuns() lists every problem up to maxProblems", () => {
  const rows = Array.from({ length: 30 }, () => "kvm-precopy,none,100,-1,0,1").join("\n");
  try {
    parseRuns(`${HEADER}\n${rows}\n`, { fileName: "many.csv", maxProblems: 3 });
    assert.fail("expected a DatasetError");
  } catch (error) {
    assert.ok(error instanceof DatasetError);
    assert.equal(error.problemCount, 30);
    assert.equal(error.problems.length, 3);
    assert.deepEqual(error.problems[0], {
      file: "many.csv",
      line: 2,
      column: 22,
      field: "wss_bytes",
      value: "-1",
      expected: "bytes >= 0",
      message: 'many.csv:2: column "wss_bytes": -1 is negative, expected bytes >= 0',
    });
    assert.equal(
      error.message,
      [
        "many.csv: cannot load runs, 30 problems",
        'many.csv:2: column "wss_bytes": -1 is negative, expected bytes >= 0',
        'many.csv:3: column "wss_bytes": -1 is negative, expected bytes >= 0',
        'many.csv:4: column "wss_bytes": -1 is negative, expected bytes >= 0',
        "... and 27 more (raise maxProblems to see them)",
      ].join("\n"),
    );
  }
});

Deno.test("parseRuns() lists a CSV's reading problems before its value problems", () => {
  // Rows are converted as they are read; the list keeps the order of a file
  // read whole first: quoting problems (lines 3, 5), then values (lines 2, 4).
  const text = [
    HEADER,
    "kvm-precopy,none,1073741824,-5,5120,3.5",
    'kvm-precopy,no"ne,1073741824,0,5120,3.5',
    "kvm-precopy,none,1073741824,7,5120,1e",
    'kvm-precopy,none,1073741824,full,5120,"3.5',
  ].join("\n");
  const reading = [
    'o.csv:3:15: bare " in an unquoted field ("no\\"ne"), expected the whole field in quotes, with "" for each quote inside it',
    'o.csv:5:39: quoted field never closes, expected a closing " before the end of the file',
  ];
  assert.deepEqual(problemsOf(() => parseRuns(text, { fileName: "o.csv" })), [
    ...reading,
    'o.csv:2: column "wss_bytes": -5 is negative, expected bytes >= 0',
    'o.csv:4: column "migration_time_seconds": "1e" is not a number (units belong in the column name, e.g. "migration_time_ms"), expected seconds >= 0',
  ]);
  try {
    parseRuns(text, { fileName: "o.csv", maxProblems: 2 });
    assert.fail("expected a DatasetError");
  } catch (error) {
    assert.ok(error instanceof DatasetError);
    assert.equal(error.problemCount, 4);
    assert.deepEqual(error.problems.map((p) => p.message), reading);
  }
});

Deno.test("parseRuns() gives hints for typical mistakes", async (t) => {
  const cases: [string, string, string][] = [
    [
      "upper-case header",
      `Method,${HEADER.slice(7)}\nkvm-precopy,none,100,10,0,1\n`,
      'h.csv:1: missing required column "method" (found "Method": column names are lower case), expected a "method" column',
    ],
    [
      "decimal comma",
      `${HEADER}\nkvm-precopy,none,100,10,0,"1,5"\n`,
      'h.csv:2: column "migration_time_seconds": "1,5" is not a number (use "." as the decimal point), expected seconds >= 0',
    ],
    [
      "pandas index column",
      `,${HEADER}\n0,kvm-precopy,none,100,10,0,1\n`,
      'h.csv:1:1: column 1 has no name, expected a name for every column (a pandas index column? write it with "index=False")',
    ],
    [
      "zero memory",
      `${HEADER}\nkvm-precopy,none,0,0,0,1\n`,
      'h.csv:2: column "memory_bytes": 0 is not positive, expected bytes > 0',
    ],
    [
      "fractional iterations",
      `${HEADER},iterations\nkvm-precopy,none,1,0,0,1,2.5\n`,
      'h.csv:2: column "iterations": 2.5 is not an integer, expected an integer >= 0',
    ],
    [
      "header only",
      `${HEADER}\n`,
      "h.csv: no runs in the file, expected at least one run after the header",
    ],
    [
      "empty status cell",
      `${HEADER},status\nkvm-precopy,none,1,0,0,1,\n`,
      'h.csv:2: column "status": empty cell, expected a status label such as "completed"',
    ],
  ];
  for (const [name, text, message] of cases) {
    await t.step(name, () => {
      assert.deepEqual(problemsOf(() => parseRuns(text, { fileName: "h.csv" })), [message]);
    });
  }
});

Deno.test("parseRuns() parses the metadata sidecar text", async (t) => {
  const meta = JSON.stringify({
    hypervisor: "qemu-kvm",
    hypervisor_version: "8.2.2",
    host_cpu: "Xeon",
    synthetic: false,
    rack: 4,
  });
  await t.step("fields in camelCase, others in extra", () => {
    const { metadata } = parseRuns(`${HEADER}\na,b,1,1,0,1\n`, { metadataText: meta });
    assert.deepEqual(metadata, {
      hypervisor: "qemu-kvm",
      hypervisorVersion: "8.2.2",
      hostCpu: "Xeon",
      synthetic: false,
      extra: { rack: 4 },
    });
  });
  await t.step("a wrong type is a DatasetError naming the sidecar", () => {
    assert.deepEqual(
      problemsOf(() =>
        parseRuns(`${HEADER}\na,b,1,1,0,1\n`, {
          metadataText: '{"date": 2026, "synthetic": "yes"}',
          metadataFileName: "runs.meta.json",
        })
      ),
      [
        'runs.meta.json: column "date": 2026 is not a string, expected a string',
        'runs.meta.json: column "synthetic": "yes" is not true or false, expected true or false',
      ],
    );
  });
});

Deno.test("parseRuns() rejects bad options", () => {
  assert.throws(() => parseRuns(42 as unknown as string), {
    name: "TypeError",
    message: "parseRuns: invalid text, expected a string (got number)",
  });
  assert.throws(() => parseRuns("", { maxProblems: 0 }), {
    name: "RangeError",
    message: 'parseRuns: invalid option "maxProblems", expected an integer >= 1 (got 0)',
  });
  assert.throws(() => parseRuns("", { format: "xml" as "csv" }), {
    name: "TypeError",
    message:
      'parseRuns: invalid option "format", expected "csv", "tsv", "json" or "jsonl" (got "xml")',
  });
});

Deno.test("parseRuns() is deterministic", () => {
  const text = `${HEADER},x\nkvm-precopy,none,100,10,0,1,2\nfoo,bar,100,full,0,1,z\n`;
  assert.deepEqual(parseRuns(text), parseRuns(text));
});

Deno.test("parseRuns() rows can be handed to a model as they are", () => {
  const { runs } = parseRuns(
    `${HEADER},link_bandwidth_bytes_per_second\nxen-precopy,none,1610612736,268435456,15360,14,125000000\n`,
  );
  const run = runs[0] as MigrationRun;
  const fromRow = xenPrecopy({
    ...run,
    bandwidthBytesPerSecond: run.linkBandwidthBytesPerSecond as number,
  });
  const direct = xenPrecopy({
    memoryBytes: 1610612736,
    wssBytes: 268435456,
    dirtyPagesPerSecond: 15360,
    bandwidthBytesPerSecond: 125000000,
  });
  assert.deepEqual(fromRow, direct);
});

Deno.test("parseRuns() keeps a column named __proto__ as an ordinary extra", () => {
  const { runs } = parseRuns(`${HEADER},__proto__\nkvm-precopy,none,100,10,0,1,7\n`);
  const extra = runs[0]?.extra ?? {};
  assert.equal(Object.getPrototypeOf(extra), Object.prototype);
  assert.deepEqual(Object.entries(extra), [["__proto__", 7]]);
});

Deno.test("parseRuns() reads one pretty-printed JSON object as one run", () => {
  const text = JSON.stringify(
    {
      method: "kvm-precopy",
      contention: "none",
      memory_bytes: 100,
      wss_bytes: 10,
      dirty_pages_per_second: 0,
      migration_time_seconds: 1,
    },
    null,
    2,
  );
  const { runs, format } = parseRuns(text);
  assert.equal(format, "jsonl");
  assert.equal(runs.length, 1);
  assert.equal(runs[0]?.memoryBytes, 100);
});
