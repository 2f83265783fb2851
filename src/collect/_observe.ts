// Private: what a run watches besides QMP: the contention load, the CPU time
// of every thread of both QEMUs and of the load (with the source QEMU's run
// delays), the host's load and CPU time, and the progress of the migrating
// guest and of the load, from a baseline before `migrate` to a window after
// the end; assembled into the run's progress trace.

import { type Contention, startContention } from "./_contention.ts";
import { type CpuSampler, startCpuSampler } from "./_cpu_sampler.ts";
import { clockOffset, type ProgressLine, type RunLine, type TraceLine } from "./_progress.ts";
import { nowSeconds, sleep } from "./_qmp.ts";
import type { Testbed, Vm } from "./_vm.ts";
import type { GridPoint } from "./types.ts";

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

/** How a run is observed. */
export interface ObserveSettings {
  /** Quiet time before `migrate` with the load running, seconds. */
  baselineSeconds: number;
  /** Time recorded after the migration ends, seconds. */
  afterSeconds: number;
  /** Interval of the CPU sampler, seconds. */
  cpuIntervalSeconds: number;
  /** Clock ticks per second of /proc's CPU times. */
  clockTicksPerSecond: number;
  /**
   * Processes of the testbed besides the collector (the link's iperf3
   * servers), whose CPU time the host lines count with the collector's.
   *
   * @default {[]}
   */
  helperPids?: readonly number[];
}

/** A run being observed. */
export interface Observer {
  /** Marks the moment `migrate` is sent (the trace's time 0). */
  started(t: number): void;
  /**
   * Records `afterSeconds` more, stops the load and the sampler, and returns
   * the trace lines; `pause` gives the guest's pause (collector seconds) then.
   */
  finish(endSeconds: number, pause: () => [number, number] | undefined): Promise<TraceLine[]>;
  /** Stops the load and the sampler at once (the run failed). */
  abort(): Promise<void>;
}

/**
 * Starts the CPU sampler on both QEMUs and the contention load, then waits
 * until the load has run and the source guest has been left alone for
 * `baselineSeconds` (its `quietSince`), so that the run's baseline is clean.
 */
export async function observe(
  bed: Testbed & ObserveSettings,
  point: GridPoint,
  src: Vm,
  dst: Vm,
): Promise<Observer> {
  let t0 = Number.NaN;
  const sampler: CpuSampler = startCpuSampler(bed.cpuIntervalSeconds, () => t0, {
    "source-qemu": src.child.pid,
    "destination-qemu": dst.child.pid,
  }, { helperPids: bed.helperPids ?? [], runDelayOf: ["source-qemu"] });
  let contention: Contention;
  try {
    contention = await startContention(bed, point.contention, src);
  } catch (error) {
    await sampler.stop();
    throw error;
  }
  if (contention.pid !== undefined) sampler.add("contention", contention.pid);
  const baselineFrom = Math.max(nowSeconds(), src.quietSince);
  const wait = baselineFrom + bed.baselineSeconds - nowSeconds();
  if (wait > 0) await sleep(wait * 1000);
  const guestLines = (from: number, to: number): ProgressLine[] =>
    [[src, "source"], [dst, "destination"]].flatMap(([vm, side]) =>
      (vm as Vm).serial.lines
        .filter((l) => l.t >= from && l.t <= to && l.text.startsWith("P "))
        .flatMap((l) => {
          const m = /^P t=([\d.]+) pages=(\d+)/.exec(l.text);
          return m === null ? [] : [{
            t_since_run_start: Math.round((l.t - t0) * 1e4) / 1e4,
            source: "guest" as const,
            count: Number(m[2]),
            unit: "pages" as const,
            from: side as string,
            t_own: Number(m[1]),
          }];
        })
    );
  return {
    started(t) {
      t0 = t;
    },
    async abort() {
      await contention.stop();
      await sampler.stop();
    },
    async finish(endSeconds, pause) {
      // A little more than the window, so that a report of every series lies beyond it.
      const until = t0 + endSeconds + bed.afterSeconds + 0.5;
      const wait = until - nowSeconds();
      if (wait > 0) await sleep(wait * 1000);
      await contention.stop();
      const cpu = await sampler.stop();
      const reports = contention.reports();
      const offset = clockOffset(reports);
      const load: ProgressLine[] = reports.map((r) => ({
        t_since_run_start: Math.round((r.own + offset - t0) * 1e4) / 1e4,
        source: "colocated",
        count: r.count,
        unit: contention.unit,
        from: point.contention,
        t_own: r.own,
      }));
      const run: RunLine = {
        t_since_run_start: 0,
        source: "run",
        end_seconds: endSeconds,
        baseline_seconds: bed.baselineSeconds,
        clock_ticks_per_second: bed.clockTicksPerSecond,
        write_pattern: point.writePattern ?? "sweep",
        contention: point.contention,
      };
      const paused = pause();
      if (paused !== undefined) {
        run.pause_seconds = [round4(paused[0] - t0), round4(paused[1] - t0)];
      }
      const from = t0 - bed.baselineSeconds - 1;
      const progress = [...guestLines(from, nowSeconds()), ...load];
      return [
        run,
        ...[...progress, ...cpu].sort((a, b) => a.t_since_run_start - b.t_since_run_start),
      ];
    },
  };
}
