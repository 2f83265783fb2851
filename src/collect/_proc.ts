// Private, pure: parsers of the /proc files that say how disturbed the host
// was during a run: `/proc/loadavg`, a thread's `schedstat`, and the
// aggregate `cpu` line of `/proc/stat`. The sampler reads the files.

/** The host's load averages, from `/proc/loadavg`. */
export interface LoadAverage {
  /** Runnable and uninterruptible tasks averaged over 1 minute (dimensionless). */
  oneMinute: number;
  /** The same over 5 minutes. */
  fiveMinutes: number;
  /** The same over 15 minutes. */
  fifteenMinutes: number;
}

/**
 * Parses `/proc/loadavg`: `"1m 5m 15m running/total lastpid"`.
 *
 * @throws {SyntaxError} If the text does not start with three non-negative numbers.
 */
export function parseLoadAverage(text: string): LoadAverage {
  const fields = text.trim().split(/\s+/).slice(0, 3).map(Number);
  if (fields.length !== 3 || !fields.every((x) => Number.isFinite(x) && x >= 0)) {
    throw new SyntaxError(
      `parseLoadAverage: invalid /proc/loadavg, expected "1m 5m 15m running/total pid" (got "${
        text.slice(0, 80)
      }")`,
    );
  }
  const [oneMinute, fiveMinutes, fifteenMinutes] = fields as [number, number, number];
  return { oneMinute, fiveMinutes, fifteenMinutes };
}

/** A task's scheduler statistics, from `/proc/<pid>/task/<tid>/schedstat`. */
export interface SchedStat {
  /** Time spent on a CPU, nanoseconds. */
  runNanoseconds: number;
  /** Time spent runnable but waiting for a CPU (run delay), nanoseconds. */
  waitNanoseconds: number;
  /** Times it was scheduled in. */
  timeslices: number;
}

/**
 * Parses a `schedstat` file: `"run_ns wait_ns timeslices"` (the kernel's
 * `sum_exec_runtime`, `run_delay` and `pcount`).
 *
 * @throws {SyntaxError} If the text is not three non-negative integers.
 */
export function parseSchedstat(text: string): SchedStat {
  const fields = text.trim().split(/\s+/).map(Number);
  if (fields.length !== 3 || !fields.every((x) => Number.isSafeInteger(x) && x >= 0)) {
    throw new SyntaxError(
      `parseSchedstat: invalid schedstat, expected "run_ns wait_ns timeslices" (got "${
        text.slice(0, 80)
      }")`,
    );
  }
  const [runNanoseconds, waitNanoseconds, timeslices] = fields as [number, number, number];
  return { runNanoseconds, waitNanoseconds, timeslices };
}

/** The host's CPU time so far, from the `cpu` line of `/proc/stat`, clock ticks. */
export interface HostCpuTicks {
  /** user + nice + system + irq + softirq + steal (guest time is inside user and nice). */
  busyTicks: number;
  /** busy + idle + iowait. */
  totalTicks: number;
}

/**
 * Parses the aggregate `cpu` line of `/proc/stat` (the first line:
 * `cpu  user nice system idle iowait irq softirq steal guest guest_nice`,
 * clock ticks; older kernels give fewer fields, taken as 0).
 *
 * @throws {SyntaxError} If there is no `cpu ` line with at least four integer fields.
 */
export function parseHostCpuTicks(text: string): HostCpuTicks {
  const line = text.split("\n").find((l) => l.startsWith("cpu "));
  const fields = line === undefined ? [] : line.trim().split(/\s+/).slice(1).map(Number);
  if (fields.length < 4 || !fields.every((x) => Number.isSafeInteger(x) && x >= 0)) {
    throw new SyntaxError(
      `parseHostCpuTicks: invalid /proc/stat, expected a line "cpu  user nice system idle ..." of clock ticks (got "${
        (line ?? text).slice(0, 80)
      }")`,
    );
  }
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] =
    fields;
  const busyTicks = user + nice + system + irq + softirq + steal;
  return { busyTicks, totalTicks: busyTicks + idle + iowait };
}
