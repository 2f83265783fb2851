// observe() on ordinary processes: the guest's dirtier runs natively as the
// "source guest", is paused (SIGSTOP) for part of the "migration", and the
// progress trace and the row's cells must show the lost work. Needs gcc
// (skipped with a message without it, outside CI).

import assert from "node:assert/strict";
import { kill, spawnLines } from "./_host.ts";
import { disturbanceCells } from "./_disturbance.ts";
import { observe, type ObserveSettings } from "./_observe.ts";
import { type CpuLine, progressCells, type ProgressLine, type RunLine } from "./_progress.ts";
import { sleep } from "./_qmp.ts";
import type { Testbed, Vm } from "./_vm.ts";

function hasGcc(): boolean {
  try {
    return new Deno.Command("gcc", { args: ["--version"], stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
}
const gcc = hasGcc();
const inCi = Deno.env.get("CI") === "true";
if (!gcc && !inCi) console.error("_observe_test: skipping, gcc is not installed");

Deno.test({
  name: "observe() records a baseline, the run and the window after, and the pause as lost work",
  ignore: !gcc && !inCi,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    const source = new URL("./guest/dirtier.c", import.meta.url).pathname;
    const built = await new Deno.Command("gcc", { args: ["-O2", "-o", `${dir}/dirtier`, source] })
      .output();
    assert.ok(built.success);
    // The dirtier reads its commands on stdin; spawnLines gives it /dev/null, which it accepts.
    const guest = spawnLines(["nice", "-n", "19", `${dir}/dirtier`, "8", "2000", "0"]);
    const idle = spawnLines(["sleep", "60"]);
    try {
      while (!guest.lines.some((l) => l.text.startsWith("P "))) await sleep(50);
      const vm = (child: Deno.ChildProcess, lines: typeof guest.lines): Vm =>
        ({ side: 0, child, serial: { lines }, name: "test", quietSince: 0 }) as unknown as Vm;
      const src = vm(guest.child, guest.lines);
      const dst = vm(idle.child, []);
      const settings: ObserveSettings = {
        baselineSeconds: 2,
        afterSeconds: 1,
        cpuIntervalSeconds: 0.1,
        clockTicksPerSecond: 100,
      };
      // Contention "none" uses no link or guest build.
      const bed = { ...settings, niceness: 19 } as Testbed & ObserveSettings;
      const point = {
        method: "kvm-precopy",
        contention: "none",
        wss: 8 * 2 ** 20,
        dirtyPagesPerSecond: 2000,
        run: 1,
      } as const;
      const before = performance.now() / 1000;
      const observer = await observe(bed, point, src, dst);
      const t0 = performance.now() / 1000;
      assert.ok(t0 - before >= 1.99, `baseline wait ${t0 - before} s`);
      observer.started(t0);
      // The "migration": 3 s, with the guest paused for the middle 1.5 s.
      await sleep(750);
      const stopped = performance.now() / 1000;
      Deno.kill(guest.child.pid, "SIGSTOP");
      await sleep(1500);
      Deno.kill(guest.child.pid, "SIGCONT");
      const resumed = performance.now() / 1000;
      await sleep(750);
      const lines = await observer.finish(3, () => [stopped, resumed]);
      const { pause_seconds: pause, ...run } = lines[0] as RunLine;
      assert.ok(Math.abs(pause![0] - 0.75) < 0.1 && Math.abs(pause![1] - 2.25) < 0.2, `${pause}`);
      assert.deepEqual(run, {
        t_since_run_start: 0,
        source: "run",
        end_seconds: 3,
        baseline_seconds: 2,
        clock_ticks_per_second: 100,
        write_pattern: "sweep",
        contention: "none",
      });
      const progress = lines.filter((l): l is ProgressLine => l.source === "guest");
      assert.ok(progress[0]!.t_since_run_start <= -2, String(progress[0]!.t_since_run_start));
      assert.ok(
        progress.at(-1)!.t_since_run_start >= 3.8,
        String(progress.at(-1)!.t_since_run_start),
      );
      const times = lines.slice(1).map((l) => l.t_since_run_start);
      assert.ok(times.every((t, i) => i === 0 || t >= times[i - 1]!), "sorted by time");
      const cpu = lines.filter((l): l is CpuLine => l.source === "cpu");
      assert.deepEqual([...new Set(cpu.map((l) => l.process))].sort(), [
        "destination-qemu",
        "source-qemu",
      ]);
      assert.ok(cpu.filter((l) => l.process === "source-qemu").length >= 5 * 5);
      const cells = progressCells(lines);
      const ratio = Number(cells.guest_progress_ratio);
      const lost = Number(cells.guest_lost_seconds);
      // 1.5 s of 3 s paused: ratio 0.5, 1.5 s lost (receive stamps and nice 19 blur it a little).
      assert.ok(Math.abs(ratio - 0.5) < 0.05, `ratio ${ratio}`);
      assert.ok(Math.abs(lost - 1.5) < 0.15, `lost ${lost} s`);
      assert.equal(cells.colocated_progress_ratio, undefined);
      assert.equal(cells.destination_migration_cpu_seconds, 0);
      assert.ok(Number(cells.source_migration_cpu_seconds) >= 0);
      // The host lines and run delays: the "source QEMU" (the dirtier, its main thread)
      // waited some time between 0 and the 3 s; it has no vCPU thread.
      const host = disturbanceCells(lines);
      assert.ok(Number(host.host_load_average) >= 0, JSON.stringify(host));
      const delay = Number(host.source_migration_run_delay_seconds);
      assert.ok(delay >= 0 && delay <= 3, `run delay ${delay} s`);
      assert.equal(host.source_vcpu_run_delay_seconds, 0);
      // Other work on 2 cores in 3 s: at most 6 CPU s (a little over 0 from sampling).
      const other = Number(host.host_other_cpu_seconds);
      assert.ok(other > -0.5 && other <= 6.5, `other CPU ${other} s`);
    } finally {
      Deno.kill(guest.child.pid, "SIGCONT");
      await kill(guest.child, 100);
      await kill(idle.child, 100);
      await Deno.remove(dir, { recursive: true });
    }
  },
});
