/**
 * A run's progress trace (`traces/<run>.progress.jsonl.gz`, written by the
 * collector; format in data/README.md) from its JSON Lines text.
 *
 * @module
 */

import { showValue } from "../_validate.ts";

/** A cumulative work counter's report: the migrating guest's pages or the co-located load's work. */
export interface ProgressSample {
  /** Seconds since `migrate` was sent (negative in the baseline). */
  timeSeconds: number;
  /** Whose work: `guest` (the migrating VM) or `colocated` (the contention load). */
  source: "guest" | "colocated";
  /** Work done since the process started, in `unit`. */
  count: number;
  /** `pages`, `iterations` or `bytes`. */
  unit: string;
  /** The guest's side (`source`/`destination`) or the load's contention. */
  from: string;
}

/** One thread's CPU time at a sample. */
export interface ThreadTicks {
  /** Thread id (the process id for the main thread). */
  tid: number;
  /** Its name (`comm`): `CPU 0/TCG` is a vCPU, `mig/...` a migration thread. */
  name: string;
  /** utime + stime, clock ticks. */
  ticks: number;
  /**
   * Time it spent runnable but waiting for a CPU so far (its `schedstat` run delay),
   * nanoseconds, where the trace records it (the source QEMU's threads, since the
   * disturbance columns).
   */
  runDelayNanoseconds?: number;
}

/** The host at a sample (traces written since the disturbance columns). */
export interface HostSample {
  /** Seconds since `migrate` was sent. */
  timeSeconds: number;
  /** The 1-minute load average (dimensionless). */
  loadAverage: number;
  /** The host's busy CPU time so far, all CPUs, clock ticks. */
  busyTicks: number;
  /** The host's busy + idle + iowait CPU time so far, clock ticks. */
  totalTicks: number;
  /** CPU time so far of the collector and the link's iperf3 servers, clock ticks. */
  apparatusTicks: number;
}

/** The CPU time of every thread of one process at one moment, from /proc. */
export interface CpuSample {
  /** Seconds since `migrate` was sent. */
  timeSeconds: number;
  /** `source-qemu`, `destination-qemu` or `contention`. */
  process: string;
  /** Its process id. */
  pid: number;
  /** Every thread. */
  threads: ThreadTicks[];
}

/** A parsed progress trace. */
export interface ProgressTrace {
  /** The migration's end, seconds since `migrate` (its time T). */
  endSeconds: number;
  /** The baseline asked for before `migrate`, seconds. */
  baselineSeconds: number;
  /** Clock ticks per second of the CPU samples. */
  clockTicksPerSecond: number;
  /** The guest's write pattern. */
  writePattern: string;
  /** The run's contention. */
  contention: string;
  /** The guest's and the load's progress reports, sorted by time. */
  progress: ProgressSample[];
  /** The CPU samples, sorted by time. */
  cpu: CpuSample[];
  /** The host samples, sorted by time; absent when the trace has none (written before them). */
  host?: HostSample[];
}

/** Options for {@linkcode parseProgressTrace}. */
export interface ParseProgressTraceOptions {
  /**
   * The file's name, for error messages.
   *
   * @default {"progress trace"}
   */
  file?: string;
}

/**
 * Parses a progress trace's JSON Lines: the run line (`source: "run"`:
 * `end_seconds`, `baseline_seconds`, `clock_ticks_per_second`,
 * `write_pattern`, `contention`), progress lines (`source: "guest"` or
 * `"colocated"`: `count`, `unit`, `from`) and CPU lines (`source: "cpu"`:
 * `process`, `pid`, `threads: [[tid, comm, ticks, run delay ns?], ...]`) and
 * host lines (`source: "host"`: `load_average`, `cpu_busy_ticks`,
 * `cpu_total_ticks`, `apparatus_ticks`), each with
 * `t_since_run_start` (seconds since `migrate`). Blank lines are skipped;
 * lines of another `source` are ignored (later collectors may add some).
 * Pure; `loadProgressTrace` reads the gzipped file.
 *
 * Cost: O(n log n) for n lines.
 *
 * @param text The trace's text.
 * @param options The file's name for messages.
 * @returns The trace: run fields, progress samples and CPU samples.
 * @throws {SyntaxError} If a line is not JSON (`file:line: ...`).
 * @throws {TypeError} If a line lacks a field or has one of the wrong type, or the run line is missing.
 *
 * @example A run line, one guest report and one CPU sample (SYNTHETIC)
 * ```ts
 * import { parseProgressTrace } from "./parse_progress_trace.ts";
 * import assert from "node:assert/strict";
 * const trace = parseProgressTrace([
 *   '{"t_since_run_start":0,"source":"run","end_seconds":12,"baseline_seconds":10,"clock_ticks_per_second":100,"write_pattern":"sweep","contention":"cpu"}',
 *   '{"t_since_run_start":-1,"source":"guest","count":5000,"unit":"pages","from":"source","t_own":3}',
 *   '{"t_since_run_start":-1,"source":"cpu","process":"source-qemu","pid":7,"threads":[[7,"qemu",10],[8,"CPU 0/TCG",90]]}',
 * ].join("\n"));
 * assert.equal(trace.endSeconds, 12);
 * assert.equal(trace.progress[0]!.count, 5000);
 * assert.equal(trace.cpu[0]!.threads[1]!.name, "CPU 0/TCG");
 * ```
 */
export function parseProgressTrace(
  text: string,
  options: ParseProgressTraceOptions = {},
): ProgressTrace {
  const file = options.file ?? "progress trace";
  if (typeof text !== "string") {
    throw new TypeError(`${file}: invalid text, expected a string (got ${showValue(text)})`);
  }
  let run: Omit<ProgressTrace, "progress" | "cpu"> | undefined;
  const progress: ProgressSample[] = [];
  const cpu: CpuSample[] = [];
  const host: HostSample[] = [];
  text.split("\n").forEach((raw, index) => {
    const line = raw.trim();
    if (line === "") return;
    const where = `${file}:${index + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new SyntaxError(
        `${where}: cannot parse the line, expected JSON (${(error as Error).message})`,
      );
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw new TypeError(
        `${where}: invalid line, expected a JSON object (got ${showValue(value)})`,
      );
    }
    const object = value as Record<string, unknown>;
    const num = (field: string) => fieldOf(where, object, field, "number") as number;
    const str = (field: string) => fieldOf(where, object, field, "string") as string;
    const source = object.source;
    if (source === "run") {
      run = {
        endSeconds: num("end_seconds"),
        baselineSeconds: num("baseline_seconds"),
        clockTicksPerSecond: num("clock_ticks_per_second"),
        writePattern: str("write_pattern"),
        contention: str("contention"),
      };
    } else if (source === "guest" || source === "colocated") {
      progress.push({
        timeSeconds: num("t_since_run_start"),
        source,
        count: num("count"),
        unit: str("unit"),
        from: str("from"),
      });
    } else if (source === "cpu") {
      cpu.push({
        timeSeconds: num("t_since_run_start"),
        process: str("process"),
        pid: num("pid"),
        threads: threadsOf(where, object.threads),
      });
    } else if (source === "host") {
      host.push({
        timeSeconds: num("t_since_run_start"),
        loadAverage: num("load_average"),
        busyTicks: num("cpu_busy_ticks"),
        totalTicks: num("cpu_total_ticks"),
        apparatusTicks: num("apparatus_ticks"),
      });
    }
  });
  if (run === undefined) {
    throw new TypeError(
      `${file}: missing the run line, expected a line with "source": "run" (got none)`,
    );
  }
  progress.sort((a, b) => a.timeSeconds - b.timeSeconds);
  cpu.sort((a, b) => a.timeSeconds - b.timeSeconds);
  host.sort((a, b) => a.timeSeconds - b.timeSeconds);
  return host.length === 0 ? { ...run, progress, cpu } : { ...run, progress, cpu, host };
}

function fieldOf(
  where: string,
  object: Record<string, unknown>,
  field: string,
  type: "number" | "string",
): number | string {
  const value = object[field];
  if (typeof value !== type || (type === "number" && !Number.isFinite(value))) {
    throw new TypeError(
      `${where}: invalid field "${field}", expected a ${
        type === "number" ? "finite number" : "string"
      } (got ${showValue(value)})`,
    );
  }
  return value as number | string;
}

function threadsOf(where: string, value: unknown): ThreadTicks[] {
  const bad = () =>
    new TypeError(
      `${where}: invalid field "threads", expected [[tid, name, ticks, run delay ns?], ...] (got ${
        showValue(value)
      })`,
    );
  if (!Array.isArray(value)) throw bad();
  return value.map((entry) => {
    if (
      !Array.isArray(entry) || typeof entry[0] !== "number" || typeof entry[1] !== "string" ||
      typeof entry[2] !== "number" || !Number.isFinite(entry[2]) ||
      (entry.length > 3 && !(typeof entry[3] === "number" && Number.isFinite(entry[3])))
    ) throw bad();
    const thread: ThreadTicks = { tid: entry[0], name: entry[1], ticks: entry[2] };
    if (entry.length > 3) thread.runDelayNanoseconds = entry[3];
    return thread;
  });
}
