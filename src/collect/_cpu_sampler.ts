// Private: samples the CPU time and run delay of every thread of a few
// processes from /proc/<pid>/task/<tid>/stat and schedstat at a fixed
// interval (the data of the paper's Figure 1), and the host's load and CPU
// time (/proc/loadavg, /proc/stat) at the same ticks; parses the stat lines.

import { nowSeconds, sleep } from "./_qmp.ts";
import type { CpuLine, HostLine, ThreadEntry } from "./_progress.ts";
import { parseHostCpuTicks, parseLoadAverage, parseSchedstat } from "./_proc.ts";

/** A thread's name and CPU time from one `/proc/<pid>/task/<tid>/stat` line. */
export interface ThreadStat {
  /** The thread's name (`comm`, at most 15 characters). */
  comm: string;
  /** utime + stime, clock ticks. */
  ticks: number;
}

/**
 * Parses a `/proc/<pid>/stat` or `/proc/<pid>/task/<tid>/stat` line: the
 * name between the first `(` and the last `)` (names may hold spaces and
 * parentheses), utime and stime (fields 14 and 15, clock ticks).
 *
 * @throws {SyntaxError} If the line does not have that shape.
 */
export function parseProcStat(text: string): ThreadStat {
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  const fields = close > open && open >= 0 ? text.slice(close + 2).trim().split(/\s+/) : [];
  // Fields after the name start at field 3 (state): utime is field 14, stime 15.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isInteger(utime) || !Number.isInteger(stime)) {
    throw new SyntaxError(
      `parseProcStat: invalid stat line, expected "pid (comm) state ..." with utime and stime (got "${
        text.slice(0, 80)
      }")`,
    );
  }
  return { comm: text.slice(open + 1, close), ticks: utime + stime };
}

/**
 * Reads every thread of `pid`: `[tid, comm, ticks]`, and with `runDelay`
 * its run delay in ns as a fourth element (left out where `schedstat`
 * cannot be read); an empty list if the process is gone.
 */
export async function readThreads(pid: number, runDelay = true): Promise<ThreadEntry[]> {
  const threads: ThreadEntry[] = [];
  try {
    for await (const entry of Deno.readDir(`/proc/${pid}/task`)) {
      const tid = Number(entry.name);
      const dir = `/proc/${pid}/task/${tid}`;
      try {
        const stat = parseProcStat(await Deno.readTextFile(`${dir}/stat`));
        const wait = runDelay
          ? await Deno.readTextFile(`${dir}/schedstat`)
            .then((text) => parseSchedstat(text).waitNanoseconds, () => undefined)
          : undefined;
        threads.push(
          wait === undefined ? [tid, stat.comm, stat.ticks] : [tid, stat.comm, stat.ticks, wait],
        );
      } catch { /* the thread ended */ }
    }
  } catch { /* the process ended */ }
  return threads.sort((a, b) => a[0] - b[0]);
}

/**
 * Reads the host's state for a {@linkcode HostLine} (without its time): the
 * 1-minute load average, the host's busy and total CPU ticks, and the CPU
 * ticks of the collector itself and of `helperPids` (whole processes, from
 * `/proc/<pid>/stat`; a helper that is gone counts 0). Undefined if
 * `/proc/loadavg` or `/proc/stat` cannot be read.
 */
export async function readHost(
  helperPids: readonly number[] = [],
): Promise<Omit<HostLine, "t_since_run_start"> | undefined> {
  try {
    const load = parseLoadAverage(await Deno.readTextFile("/proc/loadavg"));
    const cpu = parseHostCpuTicks(await Deno.readTextFile("/proc/stat"));
    let apparatus = 0;
    for (const pid of [Deno.pid, ...helperPids]) {
      apparatus += await Deno.readTextFile(`/proc/${pid}/stat`)
        .then((text) => parseProcStat(text).ticks, () => 0);
    }
    return {
      source: "host",
      load_average: load.oneMinute,
      cpu_busy_ticks: cpu.busyTicks,
      cpu_total_ticks: cpu.totalTicks,
      apparatus_ticks: apparatus,
    };
  } catch {
    return undefined;
  }
}

/** A running sampler. */
export interface CpuSampler {
  /** Adds a process to sample from the next tick on, under `label`. */
  add(label: string, pid: number): void;
  /** Stops sampling and returns the lines. */
  stop(): Promise<Array<CpuLine | HostLine>>;
}

/** What {@linkcode startCpuSampler} reads besides every thread's CPU time. */
export interface CpuSamplerOptions {
  /**
   * Processes of the testbed besides the collector whose CPU time the host
   * lines count with the collector's (see {@linkcode readHost}).
   *
   * @default {[]}
   */
  helperPids?: readonly number[];
  /**
   * The labels whose threads' run delays are read too (one more file per
   * thread and tick); undefined: every process's.
   *
   * @default {undefined}
   */
  runDelayOf?: readonly string[];
}

/**
 * Samples the threads of `initial` (label to pid) and of the processes
 * added later every `intervalSeconds`
 * (scheduled on a fixed grid, so the mean rate holds under load), and the
 * host ({@linkcode readHost}) at every tick, with
 * times as seconds since `t0` (the collector's clock) once `t0` is set.
 */
export function startCpuSampler(
  intervalSeconds: number,
  t0: () => number,
  initial: Readonly<Record<string, number>> = {},
  options: CpuSamplerOptions = {},
): CpuSampler {
  const { helperPids = [], runDelayOf } = options;
  const processes = new Map<string, number>(Object.entries(initial));
  const lines: Array<(CpuLine | HostLine) & { tAbs: number }> = [];
  let running = true;
  const loop = (async () => {
    const start = nowSeconds();
    for (let k = 0; running; k++) {
      const tHost = nowSeconds();
      const host = await readHost(helperPids);
      if (host !== undefined) lines.push({ ...host, t_since_run_start: 0, tAbs: tHost });
      for (const [label, pid] of processes) {
        const t = nowSeconds();
        const threads = await readThreads(pid, runDelayOf?.includes(label) ?? true);
        if (threads.length > 0) {
          lines.push({
            t_since_run_start: 0,
            tAbs: t,
            source: "cpu",
            process: label,
            pid,
            threads,
          });
        }
      }
      const wait = start + (k + 1) * intervalSeconds - nowSeconds();
      if (wait > 0) await sleep(wait * 1000);
    }
  })();
  return {
    add(label, pid) {
      processes.set(label, pid);
    },
    async stop() {
      running = false;
      await loop;
      const origin = t0();
      return lines.map(({ tAbs, ...line }) => ({
        ...line,
        t_since_run_start: Math.round((tAbs - origin) * 1e4) / 1e4,
      }));
    },
  };
}
