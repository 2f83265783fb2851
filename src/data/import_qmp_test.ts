import assert from "node:assert/strict";
import { DatasetError, importQmp, loadRuns } from "../../mod.ts";

const FIXTURES = new URL("../../tests/fixtures/qmp/", import.meta.url);
const OPTIONS = { contention: "none", wssBytes: "full" as const };

Deno.test("importQmp() reads the real pre-copy trace", async () => {
  const { run, series, notes } = await importQmp(
    new URL("precopy-convergent-run-1.json", FIXTURES),
    OPTIONS,
  );
  // Expected values from tests/fixtures/qmp/PROVENANCE.md (the final completed sample).
  assert.equal(run.method, "kvm-precopy");
  assert.equal(run.status, "completed");
  assert.equal(run.memoryBytes, 8607571968);
  assert.equal(run.wssBytes, 8607571968);
  assert.equal(run.migrationTimeSeconds, 17.717);
  assert.equal(run.downtimeSeconds, 0.013);
  assert.equal(run.transferredBytes, 2428414189);
  assert.equal(run.iterations, 8);
  assert.equal(run.pageBytes, 4096);
  assert.equal(run.dirtyPagesPerSecond, 10031);
  assert.equal(run.extra.setup_time_seconds, 0.001);
  assert.equal(run.extra.precopy_bytes, 2394148616);
  // 91 records: an empty first reply, 89 source samples, the destination's reply.
  assert.equal(series.length, 89);
  assert.equal(series[0]?.status, "active");
  assert.equal(series[0]?.index, 1);
  assert.equal(series[0]?.timeSeconds, 0);
  assert.equal(series.at(-1)?.status, "completed");
  assert.equal(series.at(-1)?.totalTimeSeconds, 17.717);
  const times = series.map((s) => s.totalTimeSeconds as number);
  assert.ok(times.every((t, i) => i === 0 || t > (times[i - 1] as number)));
  assert.deepEqual(notes, [
    "skipped 1 empty reply(ies), greeting(s) or event(s)",
    "1 reply(ies) after the final one (destination side?) used only for extras",
    'method "kvm-precopy" from the trace (no post-copy status or bytes)',
    "dirtyPagesPerSecond 10031 from QEMU's last non-zero ram.dirty-pages-rate (record 88)",
  ]);
});

Deno.test("importQmp() reads the real post-copy trace", async () => {
  const { run, series } = await importQmp(new URL("postcopy-16t-run-1.json", FIXTURES), {
    contention: "cpu",
    wssBytes: 1073741824,
    dirtyPagesPerSecond: 25000,
    linkBandwidthBytesPerSecond: 134217728,
    run: 1,
  });
  assert.equal(run.method, "kvm-postcopy");
  assert.equal(run.contention, "cpu");
  assert.equal(run.wssBytes, 1073741824);
  assert.equal(run.dirtyPagesPerSecond, 25000);
  assert.equal(run.linkBandwidthBytesPerSecond, 134217728);
  assert.equal(run.run, 1);
  assert.equal(run.migrationTimeSeconds, 2.06);
  assert.equal(run.downtimeSeconds, 0.002);
  assert.equal(run.transferredBytes, 2734753757);
  assert.equal(run.extra.postcopy_bytes, 2693639332);
  assert.equal(run.extra.postcopy_requests, 4474);
  assert.equal(run.extra.postcopy_blocktime_seconds, 0.008);
  assert.deepEqual(series.map((s) => s.status).slice(0, 3), [
    "active",
    "postcopy-active",
    "postcopy-active",
  ]);
});

Deno.test("importQmp() reads a single reply, JSON Lines and QMP session lines", async (t) => {
  const reply = {
    status: "completed",
    "total-time": 2000,
    downtime: 30,
    ram: { total: 1073741824, transferred: 1100000000, "dirty-sync-count": 3, "page-size": 4096 },
  };
  await t.step("bare reply object", async () => {
    const { run, series } = await importQmp(JSON.stringify(reply), OPTIONS);
    assert.equal(run.migrationTimeSeconds, 2);
    assert.equal(series.length, 1);
  });
  await t.step("a QMP session as JSON Lines", async () => {
    const lines = [
      { QMP: { version: {}, capabilities: [] } },
      { return: {} },
      {
        return: {
          status: "active",
          "total-time": 1000,
          ram: { total: 1073741824, "dirty-pages-rate": 900 },
        },
      },
      { event: "MIGRATION", data: { status: "completed" } },
      { return: reply },
    ].map((l) => JSON.stringify(l)).join("\n");
    const { run, series, notes } = await importQmp(lines, OPTIONS);
    assert.equal(series.length, 2);
    assert.equal(run.dirtyPagesPerSecond, 900);
    assert.equal(run.iterations, 3);
    assert.equal(notes[0], "skipped 3 empty reply(ies), greeting(s) or event(s)");
  });
  await t.step("a trace that never finishes", async () => {
    const text = JSON.stringify({
      return: { status: "active", "total-time": 1000, ram: { total: 1e9 } },
    });
    const { run, notes } = await importQmp(text, OPTIONS);
    assert.equal(run.status, "active");
    assert.ok(Number.isNaN(run.migrationTimeSeconds));
    assert.ok(
      notes.includes('no completed, failed or cancelled reply: the trace ends in "active"'),
    );
  });
  await t.step("a failed migration keeps QEMU's error text", async () => {
    const text = JSON.stringify({
      return: { status: "failed", "error-desc": "Unable to write to socket", ram: { total: 1e9 } },
    });
    const { run } = await importQmp(text, OPTIONS);
    assert.equal(run.status, "failed");
    assert.equal(run.extra.message, "Unable to write to socket");
  });
});

Deno.test("importQmp() reports bad replies and missing knowledge", async (t) => {
  await t.step("a truncated trace", async () => {
    await assert.rejects(
      () => importQmp('[{"return": {"status": "active"', { ...OPTIONS, fileName: "t.json" }),
      {
        name: "DatasetError",
        message:
          't.json: cannot load runs, 1 problem\nt.json:1:32: the JSON ends early (truncated?), expected "," or "}"',
      },
    );
  });
  await t.step("a negative total-time and a QMP error", async () => {
    const text =
      '{"return": {"status": "active", "total-time": -4}}\n{"error": {"class": "GenericError", "desc": "no migration"}}\n';
    try {
      await importQmp(text, { ...OPTIONS, fileName: "e.jsonl" });
      assert.fail("expected a DatasetError");
    } catch (error) {
      assert.ok(error instanceof DatasetError);
      assert.deepEqual(error.problems.map((p) => p.message), [
        'e.jsonl:1: column "total-time": -4 is not a number >= 0, expected milliseconds >= 0',
        'e.jsonl:2: QMP error reply "no migration", expected a query-migrate reply',
      ]);
    }
  });
  await t.step("no ram.total", async () => {
    await assert.rejects(
      () =>
        importQmp('{"status": "completed", "total-time": 5}', { ...OPTIONS, fileName: "n.json" }),
      {
        name: "DatasetError",
        message:
          "n.json: cannot load runs, 1 problem\nn.json:1: no reply carries ram.total, expected ram.total in bytes > 0",
      },
    );
  });
  await t.step("contention and wss are required", async () => {
    await assert.rejects(() => importQmp("{}", { wssBytes: "full" }), {
      name: "TypeError",
      message:
        'importQmp: missing option "contention", expected a label such as "none" (the statistics do not say)',
    });
    await assert.rejects(() => importQmp("{}", { contention: "none" }), {
      name: "TypeError",
      message:
        'importQmp: missing option "wssBytes", expected bytes >= 0 or "full" (the statistics do not say)',
    });
  });
  await t.step("wss above the memory", async () => {
    await assert.rejects(
      () =>
        importQmp(new URL("postcopy-16t-run-1.json", FIXTURES), {
          contention: "none",
          wssBytes: 1e10,
        }),
      {
        name: "RangeError",
        message:
          'importQmp: invalid option "wssBytes", expected bytes <= the memory size 8607571968 (got 10000000000)',
      },
    );
  });
});

Deno.test("importQmp() reads the collector's gzipped traces as runs.csv records them", async (t) => {
  const dataset = new URL("../../data/qemu-tcg-1gbit/", import.meta.url);
  const { runs } = await loadRuns(new URL("runs.csv", dataset));
  for (const method of ["kvm-precopy", "kvm-postcopy"]) {
    const row = runs.find((r) =>
      r.method === method && r.status === "completed" && typeof r.extra.trace_file === "string"
    );
    assert.ok(row, `a completed ${method} row with a trace`);
    const name = row.extra.trace_file as string;
    await t.step(name, async () => {
      const url = new URL(`traces/${name}`, dataset);
      const { run, series } = await importQmp(url, {
        contention: row.contention,
        wssBytes: row.wssBytes,
      });
      // The collector's row takes the time, bytes and passes from the same final reply.
      assert.equal(run.method, method);
      assert.equal(run.status, "completed");
      assert.equal(run.memoryBytes, row.extra.ram_total_bytes);
      assert.equal(run.migrationTimeSeconds, row.migrationTimeSeconds);
      assert.equal(run.transferredBytes, row.transferredBytes);
      assert.equal(run.iterations, row.iterations);
      assert.equal(run.extra.setup_time_seconds, row.extra.setup_time_seconds);
      // Polled every 0.2 s from the run's start: t_since_run_start, from 0.
      assert.equal(series[0]?.timeSeconds, 0);
      const last = series.at(-1)?.timeSeconds ?? 0;
      assert.ok(Math.abs(last - (series.length - 1) * 0.2) < 0.1 * series.length, String(last));
      // The same bytes, given as bytes, read the same.
      const bytes = await Deno.readFile(url);
      const fromBytes = await importQmp(bytes, { contention: row.contention, wssBytes: 0 });
      assert.equal(fromBytes.run.migrationTimeSeconds, run.migrationTimeSeconds);
    });
  }
});
