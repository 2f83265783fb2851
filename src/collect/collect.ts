import { guarded } from "./_guarded.ts";
import { migrateOnce, type MigrationSession } from "./_migrate.ts";
import { nowSeconds } from "./_qmp.ts";
import { baseRow, wssArg } from "./_run_row.ts";
import { beginSitting, openDataset } from "./_open_sitting.ts";
import type { Sitting } from "./_sitting.ts";
import { MIB } from "../units.ts";
import { bootGuest, stopVm, type Vm } from "./_vm.ts";
import { formatRunsCsv, RUN_COLUMNS } from "./format_runs_csv.ts";
import { pendingPoints } from "./pending_points.ts";
import type { GridPoint, RunRow } from "./types.ts";
import { writeTextAtomic } from "./write_text_atomic.ts";

/** Options for {@linkcode collect}. */
export interface CollectOptions {
  /** Output directory; its base name is the dataset name (`<dir>/<name>.meta.json`). */
  outDir: string;
  /** The points to run, in order (see `planGrid`); points already in `runs.csv` are skipped. */
  plan: readonly GridPoint[];
  /**
   * The VM's memory, bytes (a whole number of MiB).
   *
   * @default {1610612736}
   */
  memoryBytes?: number;
  /**
   * The shaped link's rate, bytes/s (tc tbf on both veth ends).
   *
   * @default {125e6 (1 Gbit/s)}
   */
  linkBandwidthBytesPerSecond?: number;
  /**
   * QEMU's downtime limit for `kvm-precopy` and `kvm-postcopy`, seconds.
   *
   * @default {0.3}
   */
  downtimeLimitSeconds?: number;
  /**
   * A `kvm-precopy` run still iterating after this many seconds is cancelled and recorded as `non-convergent`.
   *
   * @default {60}
   */
  timeoutSeconds?: number;
  /**
   * Any run still going after this many seconds is ended and recorded as `failed`.
   *
   * @default {300}
   */
  hardTimeoutSeconds?: number;
  /**
   * Quiet time before each `migrate`, seconds: the guest has been left alone
   * and the contention load has run this long (the baseline of the progress
   * ratios).
   *
   * @default {10}
   */
  baselineSeconds?: number;
  /**
   * Time recorded after each migration ends (guest progress, load, CPU), seconds.
   *
   * @default {5}
   */
  afterSeconds?: number;
  /**
   * Fill the guest's free memory with non-zero data before migrating.
   *
   * @default {true}
   */
  fill?: boolean;
  /**
   * Accelerator: `auto` tries KVM with a short boot timeout and falls back to TCG.
   *
   * @default {"auto"}
   */
  accel?: "auto" | "kvm" | "tcg";
  /**
   * When `kvm-postcopy` runs switch to post-copy: after the first pre-copy pass, or at once.
   *
   * @default {"immediate"}
   */
  postcopySwitch?: "after-first-pass" | "immediate";
  /**
   * Niceness of the QEMU processes and contention loads (negative: ahead of other work).
   *
   * @default {-10}
   */
  niceness?: number;
  /**
   * Run again points whose rows are all `failed`.
   *
   * @default {false}
   */
  retryFailed?: boolean;
  /**
   * Stop after this many points (for trials); all pending points when undefined.
   *
   * @default {undefined}
   */
  maxPoints?: number;
  /**
   * Free text for the metadata: other load on the machine during collection.
   *
   * @default {""}
   */
  hostLoadNote?: string;
  /**
   * The command line, for the metadata.
   *
   * @default {[]}
   */
  commandLine?: readonly string[];
  /**
   * Progress lines (stderr by default).
   *
   * @default {console.error}
   */
  log?: (line: string) => void;
}

/** What {@linkcode collect} did. */
export interface CollectResult {
  /** Points run in this session. */
  ran: number;
  /** Points skipped because `runs.csv` held them. */
  skipped: number;
  /** Rows by status, this session. */
  statuses: Record<string, number>;
  /** The accelerator used. */
  accelerator: string;
  /** Mean wall time per point this session, seconds. */
  secondsPerPoint: number;
}

/**
 * Runs real QEMU live migrations over a shaped link and writes one row per
 * migration to `<outDir>/runs.csv` (the run schema, atomically rewritten after
 * every point), the dataset's `<name>.meta.json` and gzipped JSON Lines traces
 * per run under `<outDir>/traces/` (QMP polls, events, and the progress trace:
 * the guest's and the load's work and every QEMU thread's CPU time from a
 * baseline before `migrate` to a window after the end). Needs root, QEMU >= 9,
 * busybox-static, a kernel in /boot, gcc, iproute2 and iperf3.
 *
 * See the README section "Collecting measurements" for the method.
 *
 * @param options See {@linkcode CollectOptions}.
 * @returns A summary of the session.
 * @throws {RangeError} If an option is out of range.
 * @throws {CollectSetupError} (`deno task collect` prints its one
 * line and exits with 2) If the host cannot run it (not root, a tool missing, QEMU older than
 * 9, `ip netns` failing), or the output directory cannot be written or holds a dataset with
 * another VM size, link or downtime limit.
 *
 * @example Resuming with nothing left to run touches no hypervisor
 * ```ts
 * import { collect } from "./collect.ts";
 * import assert from "node:assert/strict";
 *
 * const outDir = await Deno.makeTempDir();
 * const result = await collect({ outDir, plan: [], log: () => {} });
 * assert.deepEqual(result, { ran: 0, skipped: 0, statuses: {}, accelerator: "", secondsPerPoint: 0 });
 * await Deno.remove(outDir, { recursive: true });
 * ```
 */
export async function collect(options: CollectOptions): Promise<CollectResult> {
  const o = resolveCollectOptions(options);
  const { log } = o;
  const dataset = await openDataset(o);
  const { rows, csvPath } = dataset;
  const pending = pendingPoints(o.plan, rows, { retryFailed: o.retryFailed });
  const todo = o.maxPoints === undefined ? pending : pending.slice(0, o.maxPoints);
  const skipped = o.plan.length - pending.length;
  log(
    `collect: ${o.plan.length} points planned, ${skipped} already in ${csvPath}, ${todo.length} to run`,
  );
  if (todo.length === 0) {
    return {
      ran: 0,
      skipped,
      statuses: {},
      accelerator: o.accel === "auto" ? "" : o.accel,
      secondsPerPoint: 0,
    };
  }
  return await guarded(log, async (work, interrupted) => {
    const sitting = await beginSitting(o, dataset, work, {
      downtimeLimitsSeconds: [...new Set(o.plan.flatMap((p) => p.downtimeLimitSeconds ?? []))]
        .sort((a, b) => a - b),
    });
    const { ran, statuses } = await runPoints(sitting, todo, { rows, csvPath, log, interrupted });
    return {
      ran,
      skipped,
      statuses,
      accelerator: sitting.session.accelerator,
      secondsPerPoint: ran > 0 ? (nowSeconds() - sitting.startedSeconds) / ran : 0,
    };
  });
}

type ResolvedCollectOptions = Required<Omit<CollectOptions, "maxPoints">> & {
  maxPoints: number | undefined;
};

/** Defaults and checks of {@linkcode collect}'s options. */
function resolveCollectOptions(options: CollectOptions): ResolvedCollectOptions {
  const o: ResolvedCollectOptions = {
    memoryBytes: 1.5 * 1024 * MIB,
    linkBandwidthBytesPerSecond: 125e6,
    downtimeLimitSeconds: 0.3,
    timeoutSeconds: 60,
    hardTimeoutSeconds: 300,
    baselineSeconds: 10,
    afterSeconds: 5,
    fill: true,
    accel: "auto",
    postcopySwitch: "immediate",
    niceness: -10,
    retryFailed: false,
    hostLoadNote: "",
    commandLine: [],
    log: (line: string) => console.error(line),
    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
    outDir: options.outDir,
    plan: options.plan,
    maxPoints: options.maxPoints,
  };
  if (!Number.isInteger(o.memoryBytes / MIB) || o.memoryBytes < 64 * MIB) {
    throw new RangeError(
      `collect: invalid option "memoryBytes", expected a whole number of MiB >= 64 MiB (got ${o.memoryBytes})`,
    );
  }
  for (const key of ["linkBandwidthBytesPerSecond", "baselineSeconds", "afterSeconds"] as const) {
    const value = o[key];
    if (
      !Number.isFinite(value) || value < 0 || (key === "linkBandwidthBytesPerSecond" && value === 0)
    ) {
      throw new RangeError(
        `collect: invalid option "${key}", expected a finite number ${
          key === "linkBandwidthBytesPerSecond" ? "> 0 (bytes/s)" : ">= 0 (seconds)"
        } (got ${value})`,
      );
    }
  }
  for (const point of o.plan) {
    if (
      point.wss !== "full" && (!Number.isInteger(point.wss / MIB) || point.wss >= o.memoryBytes)
    ) {
      throw new RangeError(
        `collect: invalid working set, expected a whole number of MiB below the VM's memory (got ${point.wss})`,
      );
    }
  }
  return o;
}

/** Where {@linkcode runPoints} writes and logs. */
interface PointsOutput {
  /** Every row of the dataset; new rows are appended. */
  rows: RunRow[];
  /** `runs.csv`, rewritten after every point. */
  csvPath: string;
  /** Progress lines. */
  log: (line: string) => void;
  /** True once a signal asked the collector to stop. */
  interrupted: () => boolean;
}

/**
 * The per-guest loop: boots a guest for each (WSS, rate, pattern) in turn and
 * migrates it back and forth for every point, writing each row at once.
 */
async function runPoints(
  sitting: Sitting,
  todo: readonly GridPoint[],
  out: PointsOutput,
): Promise<{ ran: number; statuses: Record<string, number> }> {
  const statuses: Record<string, number> = {};
  const guest: GuestState = { vm: undefined, config: "", ready: {} };
  let ran = 0;
  for (const [index, point] of todo.entries()) {
    const started = nowSeconds();
    const row = await runPoint(sitting.session, point, guest, out.log);
    if (out.interrupted()) {
      await new Promise(() => {}); // the signal handler exits the process
    }
    out.rows.push(row);
    await writeTextAtomic(out.csvPath, formatRunsCsv(out.rows, RUN_COLUMNS));
    ran++;
    statuses[String(row.status)] = (statuses[String(row.status)] ?? 0) + 1;
    await sitting.writeMeta(ran);
    out.log(
      progressLine({
        index,
        total: todo.length,
        point,
        row,
        started,
        t0: sitting.startedSeconds,
        ran,
      }),
    );
  }
  await stopVm(guest.vm);
  return { ran, statuses };
}

/** The guest that runs between points, and the configuration it was booted with. */
interface GuestState {
  vm: Vm | undefined;
  config: string;
  ready: Record<string, number>;
}

/**
 * One point: (re)boots the guest if its configuration differs, migrates it,
 * and returns the row; a collector fault gives a `failed` row and no guest.
 */
async function runPoint(
  session: MigrationSession,
  point: GridPoint,
  guest: GuestState,
  log: (line: string) => void,
): Promise<RunRow> {
  const cfg = {
    wssArg: wssArg(point.wss),
    rate: point.dirtyPagesPerSecond,
    pattern: point.writePattern ?? "sweep",
  };
  const cfgKey = `${cfg.wssArg}|${cfg.rate}|${cfg.pattern}`;
  const started = nowSeconds();
  let ready: Record<string, number> = {};
  try {
    if (guest.vm === undefined || guest.config !== cfgKey) {
      await stopVm(guest.vm);
      guest.vm = undefined;
      log(
        `collect: booting guest wss=${cfg.wssArg} MiB rate=${cfg.rate} pages/s pattern=${cfg.pattern}`,
      );
      const booted = await bootGuest(session, cfg, session.accelerator);
      guest.vm = booted.vm;
      guest.ready = booted.ready;
      guest.config = cfgKey;
    }
    ready = guest.ready;
    const result = await migrateOnce(session, point, guest.vm, ready);
    guest.vm = result.vm;
    if (guest.vm === undefined) guest.config = "";
    return result.row;
  } catch (error) {
    const row = baseRow(point, ready, session);
    row.status = "failed";
    row.migration_time_seconds = Math.round((nowSeconds() - started) * 1000) / 1000;
    row.message = `collector: ${(error as Error).message}`.slice(0, 500);
    await stopVm(guest.vm);
    guest.vm = undefined;
    guest.config = "";
    return row;
  }
}

/** The progress line after a point: what ran, its result, elapsed time and ETA. */
function progressLine(p: {
  index: number;
  total: number;
  point: GridPoint;
  row: RunRow;
  started: number;
  t0: number;
  ran: number;
}): string {
  const { index, total, point, row } = p;
  const elapsed = nowSeconds() - p.t0;
  const left = (total - index - 1) * elapsed / p.ran;
  const limit = point.downtimeLimitSeconds === undefined
    ? ""
    : ` limit=${point.downtimeLimitSeconds}s`;
  const pattern = point.writePattern === "random" ? " pattern=random" : "";
  return `collect: [${index + 1}/${total}] ${point.method} ${point.contention} wss=${
    wssArg(point.wss)
  }MiB d=${point.dirtyPagesPerSecond} run=${point.run}${limit}${pattern}: ${row.status} ${row.migration_time_seconds} s` +
    ` | point ${(nowSeconds() - p.started).toFixed(0)} s, elapsed ${
      (elapsed / 60).toFixed(1)
    } min, ETA ${(left / 60).toFixed(0)} min` +
    (row.message ? ` | ${row.message}` : "");
}
