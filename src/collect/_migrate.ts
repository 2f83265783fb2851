// Private: one live migration from a running source guest to a new
// destination, driven and watched over QMP, checked by the guest afterwards,
// and recorded as a row plus its traces.

import { gzipJsonLines } from "./_gzip_json_lines.ts";
import { nowSeconds, type QmpTraceEntry, sleep } from "./_qmp.ts";
import {
  achievedDirtyRate,
  baseRow,
  numberAt,
  type RunSettings,
  statsFromQueryMigrate,
  traceStamp,
  wssArg,
} from "./_run_row.ts";
import { disturbanceCells } from "./_disturbance.ts";
import { observe, type ObserveSettings } from "./_observe.ts";
import { blocktimeCells, progressCells } from "./_progress.ts";
import { startVm, stopVm, type Testbed, type Vm } from "./_vm.ts";
import type { GridPoint, RunRow } from "./types.ts";
import { xenStopDecision } from "./xen_stop_decision.ts";

const MIGRATION_PORT = 4444;
const POLL_MS = 200;

/** A session's testbed, settings and output directory. */
export interface MigrationSession extends Testbed, RunSettings, ObserveSettings {
  /** Where traces go (`<outDir>/traces/`). */
  outDir: string;
  /** The destination's migration port (several migrations to one host need one each). @default {4444} */
  migrationPort?: number;
  /** Send `migrate` no earlier than this, collector seconds (a plan's start offset). */
  startAtSeconds?: number;
  /** Base name of the run's trace files; {@linkcode traceStamp} of the point when undefined. */
  traceStamp?: string;
}

/** A migration's row, and the guest still running afterwards (undefined if none is usable). */
export interface MigrationResult {
  /** The run's row. */
  row: RunRow;
  /** The guest to migrate next: the destination after a success, else the source. */
  vm: Vm | undefined;
  /** When `migrate` was sent and when the polling saw the end, collector seconds. */
  startedSeconds: number;
  /** See `startedSeconds`. */
  endedSeconds: number;
}

/** How the QMP polling loop ended. */
interface Watched {
  outcome: "completed" | "non-convergent" | "failed";
  message: string;
  guestLost: boolean;
  last: Record<string, unknown>;
  sawPostcopy: boolean;
  xenReason: string;
  samples: unknown[];
}

/**
 * Starts a destination guest beside `src` (the point's configuration) and
 * migrates `src` to it for `point`. `ready` is the guest's READY report.
 */
export async function migrateOnce(
  session: MigrationSession,
  point: GridPoint,
  src: Vm,
  ready: Record<string, number>,
): Promise<MigrationResult> {
  const dst = await startVm(session, src.side === 0 ? 1 : 0, {
    wssArg: wssArg(point.wss),
    rate: point.dirtyPagesPerSecond,
    pattern: point.writePattern ?? "sweep",
  }, { accelerator: session.accelerator, incoming: true });
  try {
    return await migrateTo(session, point, src, dst, ready);
  } catch (error) {
    // The caller records the failure and stops the source; the destination goes here.
    await stopVm(dst);
    throw error;
  }
}

async function migrateTo(
  session: MigrationSession,
  point: GridPoint,
  src: Vm,
  dst: Vm,
  ready: Record<string, number>,
): Promise<MigrationResult> {
  const row = baseRow(point, ready, session);
  const trace: QmpTraceEntry[] = [];
  src.qmp.trace = trace;
  dst.qmp.trace = trace;
  const srcEvents0 = src.qmp.events.length;
  const postcopy = point.method === "kvm-postcopy";
  const caps = (on: boolean) => [
    { capability: "events", state: true },
    { capability: "postcopy-ram", state: on },
  ];
  await dst.qmp.execute("migrate-set-capabilities", {
    capabilities: [
      ...caps(postcopy),
      ...(postcopy ? [{ capability: "postcopy-blocktime", state: true }] : []),
    ],
  });
  await src.qmp.execute("migrate-set-capabilities", { capabilities: caps(postcopy) });
  const uri = `tcp:${session.link.addr[dst.side]}:${session.migrationPort ?? MIGRATION_PORT}`;
  await dst.qmp.execute("migrate-incoming", { uri });
  await src.qmp.execute("migrate-set-parameters", {
    "downtime-limit": Math.round(Number(row.downtime_limit_seconds) * 1000),
    "max-bandwidth": 1e11,
  });
  const observer = await observe(session, point, src, dst);
  const serialFrom = nowSeconds() - 3;
  const startIn = (session.startAtSeconds ?? 0) - nowSeconds();
  if (startIn > 0) await sleep(startIn * 1000);
  const tStart = nowSeconds();
  observer.started(tStart);
  let watched: Watched;
  let tEnd: number;
  try {
    await src.qmp.execute("migrate", { uri });
    watched = await watch(session, point, src, tStart);
    tEnd = nowSeconds();
  } catch (error) {
    await observer.abort();
    throw error;
  }
  const { outcome, last, samples, message } = watched;
  let { guestLost } = watched;

  Object.assign(row, statsFromQueryMigrate(last, tEnd - tStart));
  // The guest and the load keep running (and are recorded) for the window after the end.
  const progress = await observer.finish(
    Number(row.migration_time_seconds),
    () => pauseOf(src, dst, srcEvents0),
  );
  Object.assign(row, progressCells(progress), disturbanceCells(progress));
  if (postcopy) row.postcopy_switched = watched.sawPostcopy;
  if (point.method === "xen-precopy-policy") {
    row.xen_stop_reason = watched.xenReason || (outcome === "completed" ? "qemu-1ms-limit" : "");
  }
  const rate = achievedDirtyRate([...src.serial.lines, ...dst.serial.lines], serialFrom, tEnd + 1);
  if (rate !== undefined) {
    row.dirty_pages_per_second = rate;
    row.dirty_rate_source = "guest";
  }

  let keep: Vm | undefined = src;
  if (outcome === "completed") {
    await recordDowntime(row, src, dst, srcEvents0);
    try {
      const reply = await dst.qmp.execute("query-migrate");
      samples.push(sample(reply, tStart));
      if (postcopy) Object.assign(row, blocktimeCells(reply));
    } catch { /* destination gone: the check below fails */ }
    guestLost = !(await verifyGuest(row, dst));
    await stopVm(src);
    keep = guestLost ? undefined : dst;
    if (guestLost) await stopVm(dst);
  } else {
    row.status = outcome;
    row.message = message;
    await stopVm(dst);
    keep = guestLost ? undefined : await resumeSource(src);
    if (keep === undefined) await stopVm(src);
  }
  if (message && row.message === undefined) row.message = message;

  const stamp = session.traceStamp ?? traceStamp(point);
  row.trace_file = `${stamp}.qmp.jsonl.gz`;
  const consoleLines = [...src.serial.lines, ...dst.serial.lines]
    // The 10 Hz progress lines are in the progress trace.
    .filter((l) => l.t >= serialFrom && l.t <= nowSeconds() && !l.text.startsWith("P "))
    .map((l) => ({ t: l.t, side: "guest", dir: "console", msg: l.text }));
  await gzipJsonLines(`${session.outDir}/traces/${row.trace_file}`, samples);
  await gzipJsonLines(`${session.outDir}/traces/${stamp}.progress.jsonl.gz`, progress);
  await gzipJsonLines(
    `${session.outDir}/traces/${stamp}.events.jsonl.gz`,
    [...trace, ...consoleLines].sort((a, b) => a.t - b.t),
  );
  src.qmp.trace = [];
  dst.qmp.trace = [];
  return { row, vm: keep, startedSeconds: tStart, endedSeconds: tEnd };
}

/** One trace line: a query-migrate reply with the collector's monotonic time. */
function sample(reply: unknown, tStart: number): unknown {
  const tm = performance.now() / 1000;
  return { t_monotonic: tm, t_since_run_start: tm - tStart, query_migrate: reply };
}

/**
 * Polls the source every 200 ms until the migration ends, switching to
 * post-copy, applying Xen's stop rules and cancelling at the time limits.
 */
async function watch(
  session: MigrationSession,
  point: GridPoint,
  src: Vm,
  tStart: number,
): Promise<Watched> {
  const { postcopySwitch, timeoutSeconds, hardTimeoutSeconds } = session;
  const postcopy = point.method === "kvm-postcopy";
  const w: Watched = {
    outcome: "failed",
    message: "",
    guestLost: false,
    last: {},
    sawPostcopy: false,
    xenReason: "",
    samples: [],
  };
  const startPostcopy = () =>
    src.qmp.execute("migrate-start-postcopy").catch((e) => {
      w.message = `migrate-start-postcopy: ${(e as Error).message}`;
    });
  let switchRequested = false;
  if (postcopy && postcopySwitch === "immediate") {
    switchRequested = true;
    await startPostcopy();
  }
  // A cancelled or failed migration's final reply has no statistics: keep the last that had.
  let lastWithRam: Record<string, unknown> = {};
  let cancelledAt: number | undefined;
  const cancel = async (elapsed: number, message: string) => {
    cancelledAt = elapsed;
    w.message = message;
    await src.qmp.execute("migrate_cancel");
  };
  while (true) {
    await sleep(POLL_MS);
    if (src.qmp.closed()) {
      w.message = "source QEMU exited during migration";
      w.guestLost = true;
      break;
    }
    let reply: Record<string, unknown>;
    try {
      reply = (await src.qmp.execute("query-migrate")) as Record<string, unknown>;
    } catch (error) {
      w.message = `query-migrate failed: ${(error as Error).message}`;
      w.guestLost = true;
      break;
    }
    w.samples.push(sample(reply, tStart));
    w.last = reply;
    if (typeof reply.ram === "object" && reply.ram !== null) lastWithRam = reply;
    const status = String(reply.status ?? "");
    const elapsed = nowSeconds() - tStart;
    if (status === "postcopy-active") w.sawPostcopy = true;
    if (status === "completed") {
      w.outcome = "completed";
      break;
    }
    if (status === "failed" || status === "cancelled") {
      w.outcome = cancelledAt !== undefined ? "non-convergent" : "failed";
      if (cancelledAt === undefined) {
        w.message = `QEMU status ${status}: ${String(reply["error-desc"] ?? "")}`;
      }
      if (w.sawPostcopy) w.guestLost = true;
      break;
    }
    if (postcopy && !switchRequested && status === "active") {
      if ((numberAt(reply, "ram", "dirty-sync-count") ?? 0) >= 2) {
        switchRequested = true;
        await startPostcopy();
      }
    }
    if (point.method === "xen-precopy-policy" && w.xenReason === "" && status === "active") {
      const reason = xenStopDecision(reply);
      if (reason !== undefined) {
        w.xenReason = reason;
        await src.qmp.execute("migrate-set-parameters", { "downtime-limit": 2000000 });
      }
    }
    if (
      cancelledAt === undefined && status === "active" && point.method === "kvm-precopy" &&
      elapsed > timeoutSeconds
    ) {
      const remaining = numberAt(reply, "ram", "remaining") ?? "?";
      await cancel(
        elapsed,
        `did not converge within ${timeoutSeconds} s (${remaining} bytes remaining); cancelled`,
      );
    } else if (elapsed > hardTimeoutSeconds && cancelledAt === undefined) {
      const message = `hard timeout ${hardTimeoutSeconds} s in status ${status}`;
      if (status !== "active") {
        w.message = message;
        w.guestLost = true;
        break;
      }
      await cancel(elapsed, message);
    }
    if (cancelledAt !== undefined && elapsed > cancelledAt + 60) {
      w.message += "; cancel did not finish";
      w.guestLost = true;
      break;
    }
  }
  if (w.outcome === "non-convergent" && w.message.startsWith("hard timeout")) w.outcome = "failed";
  if (w.last.ram === undefined) w.last = lastWithRam;
  return w;
}

/**
 * The guest's pause: source STOP to destination RESUME from QMP events
 * (waiting up to 30 s for RESUME), else QEMU's own downtime.
 */
async function recordDowntime(row: RunRow, src: Vm, dst: Vm, srcEvents0: number): Promise<void> {
  const stop = src.qmp.events.slice(srcEvents0).filter((e) => e.event === "STOP").at(-1);
  const deadline = nowSeconds() + 30;
  let resume = dst.qmp.events.find((e) => e.event === "RESUME");
  while (resume === undefined && nowSeconds() < deadline && !dst.qmp.closed()) {
    await sleep(100);
    resume = dst.qmp.events.find((e) => e.event === "RESUME");
  }
  if (
    stop && resume && Number.isFinite(stop.timestampSeconds) &&
    Number.isFinite(resume.timestampSeconds)
  ) {
    row.downtime_seconds = Math.round((resume.timestampSeconds - stop.timestampSeconds) * 1e6) /
      1e6;
    row.downtime_source = "events";
  } else if (row.qmp_downtime_seconds !== undefined) {
    row.downtime_seconds = row.qmp_downtime_seconds;
    row.downtime_source = "qmp";
  }
}

/** The guest's pause on the collector's clock: the source's last STOP to the destination's RESUME. */
function pauseOf(src: Vm, dst: Vm, srcEvents0: number): [number, number] | undefined {
  const stop = src.qmp.events.slice(srcEvents0).filter((e) => e.event === "STOP").at(-1);
  const resume = dst.qmp.events.find((e) => e.event === "RESUME");
  return stop && resume && resume.t >= stop.t ? [stop.t, resume.t] : undefined;
}

/**
 * Asks the migrated guest to check its memory and sets the row's status:
 * `completed` if the check passes, else `corrupt`. True if the guest is usable.
 */
async function verifyGuest(row: RunRow, dst: Vm): Promise<boolean> {
  const asked = nowSeconds();
  await dst.serial.write("v\n").catch(() => {});
  const answer = await dst.serial.waitFor(/^VERIFY /, 120, asked - 0.001);
  if (answer === undefined) {
    row.status = "corrupt";
    row.verify = dst.qmp.closed() ? "destination QEMU exited" : "no answer within 120 s";
    row.message = `guest did not answer the check after migration (${row.verify})`;
    return false;
  }
  row.verify = answer.text.replace(/^VERIFY /, "");
  dst.quietSince = nowSeconds();
  if (/^VERIFY ok/.test(answer.text)) {
    row.status = "completed";
    return true;
  }
  row.status = "corrupt";
  row.message = "memory check failed after migration";
  return false;
}

/** After a cancel the source must run again: the source, or undefined if it cannot. */
async function resumeSource(src: Vm): Promise<Vm | undefined> {
  try {
    const st = (await src.qmp.execute("query-status")) as { status?: string };
    if (st.status !== "running") await src.qmp.execute("cont").catch(() => {});
    src.quietSince = nowSeconds();
    return src;
  } catch {
    return undefined;
  }
}
