/**
 * Importer for QEMU QMP `query-migrate` replies.
 *
 * @module
 */

import { resolveImportOptions, resolveWss } from "./_import_options.ts";
import { readJsonValues } from "./_json_values.ts";
import { Problems, showCell } from "./_problems.ts";
import { readSource } from "./_source.ts";
import type { ImportRunOptions, MigrationRun, RunSource } from "./types.ts";

/** Options for {@linkcode importQmp}: what QMP cannot say (see {@linkcode ImportRunOptions}). */
export interface ImportQmpOptions extends ImportRunOptions {}

/** One polled `query-migrate` reply, in SI units. Fields QEMU did not report are absent. */
export interface QmpSample {
  /** 0-based position of the record in the source (empty replies count). */
  index: number;
  /** 1-based line where the record starts. */
  line: number;
  /** Poller time since the first sample, seconds (traces that carry `t_monotonic` or `t_since_run_start`). */
  timeSeconds?: number;
  /** QEMU's status: `setup`, `active`, `postcopy-active`, `completed`, `failed`, ... */
  status: string;
  /** QEMU's `total-time`, seconds since the migration started. */
  totalTimeSeconds?: number;
  /** `ram.transferred`, bytes. */
  transferredBytes?: number;
  /** `ram.remaining`, bytes. */
  remainingBytes?: number;
  /** `ram.dirty-pages-rate`, pages/s (QEMU's estimate at the last dirty sync). */
  dirtyPagesPerSecond?: number;
  /** `ram.mbps` converted, bytes/s (the throughput achieved). */
  throughputBytesPerSecond?: number;
  /** `ram.dirty-sync-count`: dirty-bitmap syncs so far (pre-copy passes). */
  iterations?: number;
  /** `expected-downtime`, seconds. */
  expectedDowntimeSeconds?: number;
  /** `ram.postcopy-requests`: pages the destination faulted on. */
  postcopyRequests?: number;
}

/** What {@linkcode importQmp} returns. */
export interface ImportQmpResult {
  /** The migration as one run row (the final reply's figures plus the options). */
  run: MigrationRun;
  /** Every source-side sample up to the final one, in order, for plots. */
  series: QmpSample[];
  /** How fields not read directly were obtained (method, dirty rate), and what was skipped. */
  notes: string[];
}

const TERMINAL = new Set(["completed", "failed", "cancelled"]);

/**
 * Imports a migration from QEMU QMP `query-migrate` replies: one reply, or
 * a time series polled during the migration (a JSON array or JSON Lines).
 * Each element may be a QMP reply (`{"return": {...}}`), the bare reply
 * object, or a poller record holding it under `query_migrate` with
 * `t_monotonic`/`t_since_run_start`, as in the collector's own
 * `traces/*.qmp.jsonl.gz` (`{t_monotonic, t_since_run_start, query_migrate}`
 * per line, see data/README.md). Greetings (`{"QMP": ...}`), events and
 * empty replies are skipped. Gzip data (a `.gz` file, or bytes starting
 * with gzip's magic number) are decompressed first.
 *
 * The run is taken from the final reply: the last one with a terminal status
 * (`completed`, `failed`, `cancelled`) and a `total-time`; replies after it
 * (the destination's, with post-copy blocktime) add only extras. A trace
 * with no terminal reply gives a run with its last status and a NaN
 * migration time (the last `total-time` goes to
 * `extra.last_total_time_seconds`).
 *
 * Fields: `ram.total` -> `memoryBytes`, `total-time` ->
 * `migrationTimeSeconds`, `downtime` -> `downtimeSeconds`, `ram.transferred`
 * -> `transferredBytes`, `ram.dirty-sync-count` -> `iterations`,
 * `ram.page-size` -> `pageBytes`; `setup-time`, `ram.mbps`,
 * `ram.postcopy-requests`, `ram.postcopy-bytes` and the like go to `extra`
 * in SI units. The method is `kvm-postcopy` when a reply had a
 * `postcopy-*` status or post-copy bytes, else `kvm-precopy` (said in
 * `notes`; `options.method` overrides). The dirty rate is QEMU's last
 * non-zero `ram.dirty-pages-rate` unless `options.dirtyPagesPerSecond` says.
 *
 * QMP does not know the workload's working set or the contention: they come
 * from `options`, never invented.
 *
 * @param source A path, URL, text or bytes.
 * @param options The working set, contention and overrides.
 * @returns The run, the per-sample series and notes.
 * @throws {DatasetError} If the text is not JSON, a reply is malformed, no reply carries `ram.total`, or the bytes are neither UTF-8 nor complete gzip data.
 * @throws {TypeError} If `contention` or `wssBytes` is missing, or an option has the wrong type.
 * @throws {RangeError} If `wssBytes` exceeds the memory or an option is out of range.
 * @throws {Deno.errors.NotFound} If the file does not exist.
 * @throws {Deno.errors.IsADirectory} If the path is a folder.
 *
 * @example One completed reply
 * ```ts
 * import { importQmp } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const reply = JSON.stringify({
 *   return: {
 *     status: "completed", "total-time": 17717, downtime: 13, "setup-time": 1,
 *     ram: { total: 8607571968, transferred: 2428414189, "dirty-sync-count": 8, "page-size": 4096 },
 *   },
 * });
 * const { run } = await importQmp(reply, { contention: "none", wssBytes: "full" });
 * assert.equal(run.method, "kvm-precopy");
 * assert.equal(run.migrationTimeSeconds, 17.717);
 * assert.equal(run.downtimeSeconds, 0.013);
 * assert.equal(run.iterations, 8);
 * ```
 */
export async function importQmp(
  source: RunSource,
  options: ImportQmpOptions = {},
): Promise<ImportQmpResult> {
  const resolved = resolveImportOptions("importQmp", options, false);
  const read = await readSource("importQmp", source, resolved.fileName);
  const problems: Problems = new Problems(read.fileName, resolved.maxProblems);
  const values = readJsonValues(read.text, problems);
  const notes: string[] = [];
  const { samples, skipped } = readReplies(values, problems);
  problems.throwIfAny();
  if (samples.length === 0) {
    problems.fail({}, "no query-migrate reply with a status", "at least one non-empty reply");
  }
  if (skipped > 0) notes.push(`skipped ${skipped} empty reply(ies), greeting(s) or event(s)`);
  const finalIndex = finalReplyIndex(samples, notes);
  const final = samples[finalIndex] as (typeof samples)[number];
  const after = samples.slice(finalIndex + 1);
  if (after.length > 0) {
    notes.push(
      `${after.length} reply(ies) after the final one (destination side?) used only for extras`,
    );
  }
  const series = samples.slice(0, finalIndex + 1).map((s) => s.sample);
  const ram = (final.reply.ram ?? {}) as Record<string, unknown>;
  let memoryBytes = num(ram.total);
  if (memoryBytes === undefined) {
    const withTotal = findLast(
      samples,
      (s) => num((s.reply.ram as Record<string, unknown> | undefined)?.total) !== undefined,
    );
    if (withTotal !== -1) {
      memoryBytes = num((samples[withTotal]?.reply.ram as Record<string, unknown>).total);
      notes.push("memoryBytes from an earlier reply's ram.total (the final reply has none)");
    }
  }
  if (memoryBytes === undefined || memoryBytes <= 0) {
    problems.fail(
      { line: final.sample.line },
      "no reply carries ram.total",
      "ram.total in bytes > 0",
    );
  }
  const method = resolved.method ?? traceMethod(samples, ram, notes);
  // Dirty rate.
  let dirty = resolved.dirtyPagesPerSecond;
  if (dirty === undefined) {
    const last = [...series].reverse().find((s) => (s.dirtyPagesPerSecond ?? 0) > 0);
    dirty = last?.dirtyPagesPerSecond ?? 0;
    notes.push(
      last
        ? `dirtyPagesPerSecond ${dirty} from QEMU's last non-zero ram.dirty-pages-rate (record ${last.index})`
        : "dirtyPagesPerSecond 0: QEMU reported no non-zero ram.dirty-pages-rate",
    );
  }
  const status = final.sample.status;
  const total = num(final.reply["total-time"]);
  const run: MigrationRun = {
    method,
    contention: resolved.contention,
    memoryBytes,
    wssBytes: resolveWss("importQmp", resolved.wssBytes, memoryBytes),
    dirtyPagesPerSecond: dirty,
    pageBytes: num(ram["page-size"]) ?? 4096,
    migrationTimeSeconds: total === undefined || !TERMINAL.has(status) ? NaN : total / 1000,
    status,
    extra: { source: "qmp" },
  };
  if (num(ram["page-size"]) === undefined) {
    notes.push("pageBytes 4096: the final reply has no ram.page-size");
  }
  if (resolved.linkBandwidthBytesPerSecond !== undefined) {
    run.linkBandwidthBytesPerSecond = resolved.linkBandwidthBytesPerSecond;
  }
  const downtime = num(final.reply.downtime);
  if (downtime !== undefined) run.downtimeSeconds = downtime / 1000;
  const transferred = num(ram.transferred);
  if (transferred !== undefined) run.transferredBytes = transferred;
  const syncs = num(ram["dirty-sync-count"]);
  if (syncs !== undefined) run.iterations = syncs;
  if (resolved.run !== undefined) run.run = resolved.run;
  addExtraColumns(run.extra, final, after, total, series.length);
  return { run, series, notes };
}

/** One reply with the sample read from it. */
type Reply = { sample: QmpSample; reply: Record<string, unknown> };

/** The samples of the JSON values that are query-migrate replies; how many values were skipped (empty, greetings, events). */
function readReplies(
  values: { value: unknown; line: number }[],
  problems: Problems,
): { samples: Reply[]; skipped: number } {
  const samples: Reply[] = [];
  let skipped = 0;
  let firstTime: number | undefined;
  for (const [index, { value, line }] of values.entries()) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      problems.add({ line }, `${showCell(value)} is not a JSON object`, "a query-migrate reply");
      continue;
    }
    const record = value as Record<string, unknown>;
    let reply: unknown = record;
    let time: number | undefined;
    if ("query_migrate" in record) {
      reply = record.query_migrate;
      const t = record.t_monotonic ?? record.t_since_run_start;
      if (typeof t === "number" && Number.isFinite(t)) time = t;
    } else if ("return" in record) reply = record.return;
    else if ("error" in record) {
      const error = record.error as Record<string, unknown> | null;
      problems.add(
        { line },
        `QMP error reply ${showCell(error?.desc ?? error)}`,
        "a query-migrate reply",
      );
      continue;
    } else if ("QMP" in record || "event" in record || "execute" in record) {
      skipped++;
      continue;
    }
    if (typeof reply !== "object" || reply === null || Array.isArray(reply)) {
      problems.add(
        { line },
        `${showCell(reply)} is not a reply object`,
        "a query-migrate reply object",
      );
      continue;
    }
    const r = reply as Record<string, unknown>;
    if (Object.keys(r).length === 0) {
      skipped++;
      continue;
    }
    const sample = readSample(r, index, line, problems);
    if (sample === undefined) continue;
    if (time !== undefined) {
      firstTime ??= time;
      sample.timeSeconds = time - firstTime;
    }
    samples.push({ sample, reply: r });
  }
  return { samples, skipped };
}

/** The index of the final reply: the last terminal one with total-time, else the last terminal one, else the last. */
function finalReplyIndex(samples: Reply[], notes: string[]): number {
  let finalIndex = findLast(
    samples,
    (s) => TERMINAL.has(s.sample.status) && "total-time" in s.reply,
  );
  if (finalIndex === -1) finalIndex = findLast(samples, (s) => TERMINAL.has(s.sample.status));
  if (finalIndex === -1) {
    finalIndex = samples.length - 1;
    notes.push(
      `no completed, failed or cancelled reply: the trace ends in "${
        samples[finalIndex]?.sample.status
      }"`,
    );
  }
  return finalIndex;
}

/** The method the trace shows: post-copy when a status or ram.postcopy-bytes says so, else pre-copy (with a note). */
function traceMethod(samples: Reply[], ram: Record<string, unknown>, notes: string[]): string {
  const postcopyStatus = samples.some((s) => s.sample.status.startsWith("postcopy"));
  const postcopyBytes = (num(ram["postcopy-bytes"]) ?? 0) > 0;
  const method = postcopyStatus || postcopyBytes ? "kvm-postcopy" : "kvm-precopy";
  notes.push(
    `method "${method}" from the trace (${
      postcopyStatus
        ? 'a "postcopy-active" status'
        : postcopyBytes
        ? "ram.postcopy-bytes > 0"
        : "no post-copy status or bytes"
    })`,
  );
  return method;
}

/** The final reply's columns beyond the run's fields into `extra`. */
function addExtraColumns(
  extra: Record<string, string | number>,
  final: Reply,
  after: Reply[],
  total: number | undefined,
  samplesCount: number,
): void {
  const ram = (final.reply.ram ?? {}) as Record<string, unknown>;
  const status = final.sample.status;
  if (total !== undefined && !TERMINAL.has(status)) extra.last_total_time_seconds = total / 1000;
  const setup = num(final.reply["setup-time"]);
  if (setup !== undefined) extra.setup_time_seconds = setup / 1000;
  const mbps = num(ram.mbps);
  if (mbps !== undefined) extra.throughput_bytes_per_second = (mbps * 1e6) / 8;
  for (
    const [key, name] of [
      ["postcopy-requests", "postcopy_requests"],
      ["postcopy-bytes", "postcopy_bytes"],
      ["precopy-bytes", "precopy_bytes"],
      ["downtime-bytes", "downtime_bytes"],
      ["duplicate", "duplicate_pages"],
      ["normal", "normal_pages"],
    ] as const
  ) {
    const v = num(ram[key]);
    if (v !== undefined) extra[name] = v;
  }
  const errorDesc = final.reply["error-desc"];
  if (typeof errorDesc === "string") extra.message = errorDesc;
  for (const s of after) {
    const blocktime = num(s.reply["postcopy-blocktime"]);
    if (blocktime !== undefined) extra.postcopy_blocktime_seconds = blocktime / 1000;
  }
  extra.samples = samplesCount;
}

function num(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

function findLast<T>(items: T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i] as T)) return i;
  return -1;
}

const NUMERIC_TOP = ["total-time", "downtime", "setup-time", "expected-downtime"] as const;
const NUMERIC_RAM = [
  "total",
  "transferred",
  "remaining",
  "dirty-pages-rate",
  "mbps",
  "dirty-sync-count",
  "page-size",
  "postcopy-requests",
] as const;

/** Checks one reply and turns it into a sample; reports problems and returns undefined when bad. */
function readSample(
  r: Record<string, unknown>,
  index: number,
  line: number,
  problems: Problems,
): QmpSample | undefined {
  const before = problems.count;
  if (typeof r.status !== "string" || r.status === "") {
    problems.add(
      { line, field: "status" },
      `${showCell(r.status)} is not a status`,
      'a status such as "active"',
    );
    return undefined;
  }
  for (const key of NUMERIC_TOP) {
    if (key in r && !isCount(r[key])) {
      problems.add(
        { line, field: key },
        `${showCell(r[key])} is not a number >= 0`,
        "milliseconds >= 0",
        r[key],
      );
    }
  }
  const ram = r.ram;
  if (ram !== undefined && (typeof ram !== "object" || ram === null || Array.isArray(ram))) {
    problems.add(
      { line, field: "ram" },
      `${showCell(ram)} is not an object`,
      "the ram statistics object",
      ram,
    );
  } else if (ram !== undefined) {
    const rr = ram as Record<string, unknown>;
    for (const key of NUMERIC_RAM) {
      if (key in rr && !isCount(rr[key])) {
        problems.add(
          { line, field: `ram.${key}` },
          `${showCell(rr[key])} is not a number >= 0`,
          "a number >= 0",
          rr[key],
        );
      }
    }
  }
  if (problems.count > before) return undefined;
  const rr = (ram ?? {}) as Record<string, unknown>;
  const sample: QmpSample = { index, line, status: r.status };
  const set = (key: keyof QmpSample, value: number | undefined) => {
    if (value !== undefined) (sample as unknown as Record<string, number>)[key] = value;
  };
  const ms = (v: unknown) => (num(v) === undefined ? undefined : (v as number) / 1000);
  set("totalTimeSeconds", ms(r["total-time"]));
  set("transferredBytes", num(rr.transferred));
  set("remainingBytes", num(rr.remaining));
  set("dirtyPagesPerSecond", num(rr["dirty-pages-rate"]));
  const mbps = num(rr.mbps);
  set("throughputBytesPerSecond", mbps === undefined ? undefined : (mbps * 1e6) / 8);
  set("iterations", num(rr["dirty-sync-count"]));
  set("expectedDowntimeSeconds", ms(r["expected-downtime"]));
  set("postcopyRequests", num(rr["postcopy-requests"]));
  return sample;
}

function isCount(value: unknown): boolean {
  return typeof value === "number" && Number.isFinite(value) && value >= 0;
}
