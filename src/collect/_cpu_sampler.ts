// Private: samples the CPU time of every thread of a few processes from
// /proc/<pid>/task/<tid>/stat at a fixed interval (the data of the paper's
// Figure 1), and parses those stat lines.

import { nowSeconds, sleep } from "./_qmp.ts";
import type { CpuLine } from "./_progress.ts";

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

/** Reads every thread of `pid`; an empty list if the process is gone. */
export async function readThreads(pid: number): Promise<Array<[number, string, number]>> {
  const threads: Array<[number, string, number]> = [];
  try {
    for await (const entry of Deno.readDir(`/proc/${pid}/task`)) {
      const tid = Number(entry.name);
      try {
        const stat = parseProcStat(await Deno.readTextFile(`/proc/${pid}/task/${tid}/stat`));
        threads.push([tid, stat.comm, stat.ticks]);
      } catch { /* the thread ended */ }
    }
  } catch { /* the process ended */ }
  return threads.sort((a, b) => a[0] - b[0]);
}

/** A running sampler. */
export interface CpuSampler {
  /** Adds a process to sample from the next tick on, under `label`. */
  add(label: string, pid: number): void;
  /** Stops sampling and returns the lines. */
  stop(): Promise<CpuLine[]>;
}

/**
 * Samples the threads of `initial` (label to pid) and of the processes
 * added later every `intervalSeconds`
 * (scheduled on a fixed grid, so the mean rate holds under load), with
 * times as seconds since `t0` (the collector's clock) once `t0` is set.
 */
export function startCpuSampler(
  intervalSeconds: number,
  t0: () => number,
  initial: Readonly<Record<string, number>> = {},
): CpuSampler {
  const processes = new Map<string, number>(Object.entries(initial));
  const lines: Array<CpuLine & { tAbs: number }> = [];
  let running = true;
  const loop = (async () => {
    const start = nowSeconds();
    for (let k = 0; running; k++) {
      for (const [label, pid] of processes) {
        const t = nowSeconds();
        const threads = await readThreads(pid);
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
