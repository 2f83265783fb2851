// Runs `deno task collect --quick` for real: QEMU migrations over a shaped link.
// In CI (CI=true) it must run; elsewhere it runs when root and QEMU >= 9 are
// available and is skipped with a message otherwise (COLLECT_TEST=skip skips it).

import assert from "node:assert/strict";
import { fitBandwidth, loadRuns } from "../../mod.ts";
import { parseRunsCsv } from "./parse_runs_csv.ts";

function qemuMajor(): number {
  try {
    const out = new Deno.Command("qemu-system-x86_64", {
      args: ["--version"],
      stdout: "piped",
      stderr: "null",
    })
      .outputSync();
    return Number(/version (\d+)/.exec(new TextDecoder().decode(out.stdout))?.[1] ?? "0");
  } catch {
    return 0;
  }
}

const inCi = Deno.env.get("CI") === "true";
const isRoot = Deno.uid() === 0;
const major = qemuMajor();
const missing = [
  ...(isRoot ? [] : ["root"]),
  ...(major >= 9 ? [] : [`QEMU >= 9 (found ${major === 0 ? "none" : major})`]),
];
const skip = !inCi && (missing.length > 0 || Deno.env.get("COLLECT_TEST") === "skip");
if (skip) {
  console.error(
    `collect_test: skipping the real QEMU run: ${
      missing.length > 0 ? `needs ${missing.join(" and ")}` : "COLLECT_TEST=skip"
    }`,
  );
}

async function gunzipLines(path: string): Promise<Record<string, unknown>[]> {
  const file = await Deno.open(path);
  const text = await new Response(file.readable.pipeThrough(new DecompressionStream("gzip")))
    .text();
  return text.trim().split("\n").map((line) => JSON.parse(line));
}

/**
 * The run's progress trace covers the baseline, the migration and the window
 * after it at 5 Hz or more, with every QEMU thread's CPU time, and the row's
 * noise cells are there and plausible.
 */
async function checkProgress(out: string, row: Record<string, unknown>, where: string) {
  const stamp = String(row.trace_file).replace(/\.qmp\.jsonl\.gz$/, "");
  const lines = await gunzipLines(`${out}/traces/${stamp}.progress.jsonl.gz`);
  const run = lines[0]!;
  assert.equal(run.source, "run", where);
  const end = Number(run.end_seconds);
  assert.equal(end, Number(row.migration_time_seconds), where);
  const covered = (source: string, hz: number) => {
    const t = lines.filter((l) => l.source === source).map((l) => Number(l.t_since_run_start));
    assert.ok(t.length > 0, `${where}: no ${source} lines`);
    // From the 10 s baseline to 5 s after the end, within one 10 Hz sample (a sampler
    // that starts a fraction of a millisecond after the baseline begins is on time).
    assert.ok(
      t[0]! <= -10 + 0.1 && t.at(-1)! >= end + 5 - 0.1,
      `${where}: ${source} from ${t[0]} to ${t.at(-1)}`,
    );
    // Outside the guest's pause, at least `hz` reports a second.
    assert.ok(t.length >= hz * (t.at(-1)! - t[0]! - end), `${where}: ${t.length} ${source} lines`);
  };
  covered("guest", 5);
  covered("cpu", 5);
  if (row.contention !== "none") covered("colocated", 5);
  const names = new Set(
    lines.filter((l) => l.source === "cpu" && l.process === "source-qemu")
      .flatMap((l) => (l.threads as Array<[number, string, number]>).map((t) => t[1])),
  );
  assert.ok(names.has("CPU 0/TCG") || names.has("CPU 0/KVM"), `${where}: ${[...names]}`);
  assert.ok([...names].some((n) => /^(mig\/|live_migration)/.test(n)), `${where}: ${[...names]}`);
  const ratio = Number(row.guest_progress_ratio);
  assert.ok(ratio > 0 && ratio < 1.2, `${where}: guest_progress_ratio ${ratio}`);
  assert.ok(Number(row.source_migration_cpu_seconds) > 0, where);
  assert.ok(Number(row.destination_migration_cpu_seconds) > 0, where);
  if (row.contention === "network") {
    const colocated = Number(row.colocated_progress_ratio);
    assert.ok(colocated > 0 && colocated < 1.5, `${where}: colocated_progress_ratio ${colocated}`);
  } else assert.equal(row.colocated_progress_ratio, "", where);
  if (row.method === "kvm-postcopy") {
    assert.ok(
      Number(row.postcopy_blocktime_seconds) >= 0 && row.postcopy_blocktime_seconds !== "",
      where,
    );
  }
  assert.equal(row.write_pattern, "sweep", where);
  assert.ok(String(row.host_cpu).length > 0, where);
  // The disturbance cells, from the host lines and the source QEMU's run delays.
  covered("host", 5);
  const sourceLines = lines.filter((l) => l.source === "cpu" && l.process === "source-qemu");
  assert.ok(
    sourceLines.every((l) => (l.threads as unknown[][]).every((t) => t.length === 4)),
    `${where}: source threads without run delays`,
  );
  for (const cell of ["host_load_average", "source_migration_run_delay_seconds"]) {
    assert.ok(row[cell] !== "" && Number(row[cell]) >= 0, `${where}: ${cell} ${row[cell]}`);
  }
  const delay = Number(row.source_vcpu_run_delay_seconds);
  assert.ok(row.source_vcpu_run_delay_seconds !== "" && delay >= 0 && delay <= end + 0.5, where);
  const other = Number(row.host_other_cpu_seconds);
  assert.ok(
    row.host_other_cpu_seconds !== "" && other > -1 &&
      other <= end * navigator.hardwareConcurrency + 1,
    `${where}: host_other_cpu_seconds ${row.host_other_cpu_seconds}`,
  );
}

Deno.test({
  name: "collect --quick migrates real QEMU guests, writes loadable rows and resumes",
  ignore: skip,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    assert.deepEqual(
      missing,
      [],
      `collect_test: CI must run the real collector but lacks ${missing.join(", ")}`,
    );
    const out = await Deno.makeTempDir({ prefix: "collect-quick-" });
    const main = new URL("./main.ts", import.meta.url).pathname;
    const runOnce = async () => {
      const result = await new Deno.Command(Deno.execPath(), {
        args: ["run", "--allow-all", main, "--quick", "--out", out],
        stdout: "piped",
        stderr: "piped",
        env: { DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
      }).output();
      return { code: result.code, stderr: new TextDecoder().decode(result.stderr) };
    };
    try {
      const first = await runOnce();
      assert.equal(first.code, 0, first.stderr);
      const csv = await Deno.readTextFile(`${out}/runs.csv`);
      const rows = parseRunsCsv(csv);
      assert.equal(rows.length, 5, csv);
      assert.deepEqual(
        rows.map((r) => `${r.method}/${r.contention}/${r.run}`).sort(),
        [
          "kvm-postcopy/none/1",
          "kvm-postcopy/none/2",
          "kvm-precopy/network/1",
          "kvm-precopy/none/1",
          "xen-precopy-policy/none/1",
        ],
      );
      for (const row of rows) {
        const where = `${row.method}/${row.contention}: ${JSON.stringify(row)}`;
        assert.equal(row.status, "completed", where);
        assert.match(String(row.verify), /^ok /, where);
        assert.equal(Number(row.memory_bytes), 256 * 2 ** 20, where);
        assert.equal(Number(row.wss_bytes), 64 * 2 ** 20, where);
        // The guest's free memory was filled: most of M (all but the kernel's reserves and a
        // 40 MiB margin, about 20 % of this small VM) is sent as normal pages.
        assert.ok(Number(row.normal_pages) * 4096 > 0.7 * Number(row.memory_bytes), where);
        assert.ok(Number(row.transferred_bytes) >= Number(row.normal_pages) * 4096, where);
        assert.ok(Number(row.migration_time_seconds) > 0, where);
        assert.ok(Number(row.downtime_seconds) > 0 && Number(row.downtime_seconds) < 10, where);
        assert.ok(Number(row.dirty_pages_per_second) > 0, where);
        assert.ok(["tcg", "kvm"].includes(String(row.accelerator)), where);
        const trace = await gunzipLines(`${out}/traces/${row.trace_file}`);
        assert.ok(trace.length >= 2, where);
        assert.ok(trace.every((line) => typeof line.query_migrate === "object"), where);
        await checkProgress(out, row, where);
      }
      const meta = JSON.parse(await Deno.readTextFile(`${out}/${out.split("/").at(-1)}.meta.json`));
      assert.equal(meta.measured, true);
      assert.equal(meta.license, "CC-BY-4.0");
      assert.equal(meta.setup.vm_memory_bytes, 256 * 2 ** 20);
      assert.equal(meta.sessions.length, 1);

      // The rows load with the toolkit's loader and a bandwidth fits to them.
      const loaded = await loadRuns(`${out}/runs.csv`);
      assert.equal(loaded.runs.length, 5);
      assert.ok(loaded.runs.every((run) => run.status === "completed"));
      const fit = fitBandwidth(loaded.runs, { method: "kvm-postcopy", resamples: 20 });
      assert.equal(fit.converged, true);
      const bandwidth = fit.bandwidth!.value;
      // The link is shaped to 1 Gbit/s (125e6 bytes/s); TCG on 2 shared cores may send slower.
      assert.ok(bandwidth > 10e6 && bandwidth < 200e6, `fitted B ${bandwidth} bytes/s`);

      // Resume: nothing left to run, the file stays as it was.
      const second = await runOnce();
      assert.equal(second.code, 0, second.stderr);
      assert.match(second.stderr, /5 already in .*, 0 to run/);
      assert.equal(await Deno.readTextFile(`${out}/runs.csv`), csv);
    } finally {
      // COLLECT_TEST_KEEP=DIR keeps the output for a look by hand.
      const keep = Deno.env.get("COLLECT_TEST_KEEP");
      if (keep) await new Deno.Command("cp", { args: ["-r", out, keep] }).output();
      await Deno.remove(out, { recursive: true }).catch(() => {});
    }
  },
});
