/**
 * Importer for libvirt migration job statistics.
 *
 * @module
 */

import { parseQuantity, type QuantityKind } from "../units.ts";
import { resolveImportOptions, resolveWss } from "./_import_options.ts";
import { Problems, showCell } from "./_problems.ts";
import { readSource } from "./_source.ts";
import type { ImportRunOptions, MigrationRun, RunSource } from "./types.ts";

/** Options for {@linkcode importLibvirt}: what libvirt cannot say (see {@linkcode ImportRunOptions}). */
export interface ImportLibvirtOptions extends ImportRunOptions {}

/** What {@linkcode importLibvirt} returns. */
export interface ImportLibvirtResult {
  /** The migration as one run row. */
  run: MigrationRun;
  /** Which form was read: `virsh` text or `keyValue` (virDomainGetJobStats parameters). */
  form: "virsh" | "keyValue";
  /** How fields not read directly were obtained, and precision caveats. */
  notes: string[];
}

type Kind = QuantityKind | "count" | "text";

/** The statistics read so far: SI value (or text), the 1-based line and the text as written. */
type Stats = Map<string, { value: number | string; line: number; raw: string }>;

/** virDomainGetJobStats parameter -> [our name, kind, unit factor to SI]. */
const KEYS: Record<string, [string, Kind, number]> = {
  type: ["type", "count", 1],
  operation: ["operation", "count", 1],
  time_elapsed: ["time_elapsed", "seconds", 1e-3],
  time_elapsed_net: ["time_elapsed_net", "seconds", 1e-3],
  downtime: ["downtime", "seconds", 1e-3],
  downtime_net: ["downtime_net", "seconds", 1e-3],
  setup_time: ["setup_time", "seconds", 1e-3],
  memory_total: ["memory_total", "bytes", 1],
  memory_processed: ["memory_processed", "bytes", 1],
  memory_remaining: ["memory_remaining", "bytes", 1],
  memory_bps: ["memory_bps", "bytesPerSecond", 1],
  memory_dirty_rate: ["memory_dirty_rate", "pagesPerSecond", 1],
  memory_page_size: ["memory_page_size", "bytes", 1],
  memory_iteration: ["memory_iteration", "count", 1],
  memory_postcopy_reqs: ["memory_postcopy_reqs", "count", 1],
  memory_constant: ["memory_constant", "count", 1],
  memory_normal: ["memory_normal", "count", 1],
  memory_normal_bytes: ["memory_normal_bytes", "bytes", 1],
  data_total: ["data_total", "bytes", 1],
  data_processed: ["data_processed", "bytes", 1],
  data_remaining: ["data_remaining", "bytes", 1],
  auto_converge_throttle: ["auto_converge_throttle", "count", 1],
};

/** `virsh domjobinfo` labels -> the parameter they show. */
const VIRSH: Record<string, string> = {
  "Job type": "type",
  "Operation": "operation",
  "Time elapsed": "time_elapsed",
  "Time elapsed w/o network": "time_elapsed_net",
  "Total downtime": "downtime",
  "Downtime w/o network": "downtime_net",
  "Setup time": "setup_time",
  "Memory total": "memory_total",
  "Memory processed": "memory_processed",
  "Memory remaining": "memory_remaining",
  "Memory bandwidth": "memory_bps",
  "Dirty rate": "memory_dirty_rate",
  "Page size": "memory_page_size",
  "Iteration": "memory_iteration",
  "Postcopy requests": "memory_postcopy_reqs",
  "Constant pages": "memory_constant",
  "Normal pages": "memory_normal",
  "Normal data": "memory_normal_bytes",
  "Data total": "data_total",
  "Data processed": "data_processed",
  "Data remaining": "data_remaining",
  "Auto converge throttle": "auto_converge_throttle",
};

/** virDomainJobType numbers and virsh's words. */
const JOB_TYPES: Record<string, string> = {
  "0": "none",
  "1": "active",
  "2": "active",
  "3": "completed",
  "4": "failed",
  "5": "cancelled",
  "None": "none",
  "Bounded": "active",
  "Unbounded": "active",
  "Completed": "completed",
  "Failed": "failed",
  "Cancelled": "cancelled",
};

/**
 * Imports a migration from libvirt job statistics: the text of
 * `virsh domjobinfo --completed DOMAIN`, or the key/value form of
 * `virDomainGetJobStats` (a JSON object such as Python's `dom.jobStats()`,
 * or `key=value` / `key: value` lines with `time_elapsed`, `downtime`,
 * `memory_total`, `memory_processed`, `memory_dirty_rate`,
 * `memory_iteration`, ...). Times are milliseconds there and sizes bytes;
 * virsh prints sizes rounded to three decimals of KiB/MiB/GiB, so bytes from
 * virsh text are approximate (said in `notes`).
 *
 * Fields: `memory_total` -> `memoryBytes`, `time_elapsed` ->
 * `migrationTimeSeconds`, `downtime` -> `downtimeSeconds`,
 * `memory_processed` -> `transferredBytes`, `memory_iteration` ->
 * `iterations`, `memory_page_size` -> `pageBytes`, the job type ->
 * `status`; every other statistic goes to `extra` in SI units
 * (`setup_time_seconds`, `memory_bps_bytes_per_second`, ...). libvirt does
 * not know the working set, the contention or (from these statistics) the
 * method: they come from `options`.
 *
 * @param source A path, URL, text or bytes.
 * @param options Method, working set, contention and overrides.
 * @returns The run, the form read and notes.
 * @throws {DatasetError} If a line cannot be read, a value is not a number where one is needed, or `memory_total` is missing.
 * @throws {TypeError} If `method`, `contention` or `wssBytes` is missing, or an option has the wrong type.
 * @throws {RangeError} If `wssBytes` exceeds the memory or an option is out of range.
 * @throws {Deno.errors.NotFound} If the file does not exist.
 *
 * @example virsh domjobinfo --completed
 * ```ts
 * import { importLibvirt } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const text = [
 *   "Job type:         Completed",
 *   "Time elapsed:     5120         ms",
 *   "Memory total:     1.000 GiB",
 *   "Total downtime:   48           ms",
 *   "Iteration:        4",
 * ].join("\n");
 * const { run } = await importLibvirt(text, {
 *   method: "kvm-precopy", contention: "none", wssBytes: 268435456,
 * });
 * assert.equal(run.memoryBytes, 1073741824);
 * assert.equal(run.migrationTimeSeconds, 5.12);
 * assert.equal(run.downtimeSeconds, 0.048);
 * assert.equal(run.status, "completed");
 * ```
 */
export async function importLibvirt(
  source: RunSource,
  options: ImportLibvirtOptions = {},
): Promise<ImportLibvirtResult> {
  const resolved = resolveImportOptions("importLibvirt", options, true);
  const read = await readSource("importLibvirt", source, resolved.fileName);
  const problems: Problems = new Problems(read.fileName, resolved.maxProblems);
  const text = read.text.charCodeAt(0) === 0xfeff ? read.text.slice(1) : read.text;
  if (text.trim() === "") problems.fail({}, "the file is empty", "libvirt job statistics");
  const notes: string[] = [];
  const rounded: string[] = [];
  const stats: Stats = new Map();
  const extra: Record<string, string | number> = { source: "libvirt" };
  const form = readStats(text, stats, extra, rounded, problems);
  if (rounded.length > 0) {
    notes.push(
      `virsh prints sizes rounded to 3 decimals (${rounded.join(", ")}): bytes are approximate; ` +
        "the key/value form gives exact bytes",
    );
  }
  problems.throwIfAny();
  const get = (key: string): number | undefined => {
    const v = stats.get(key)?.value;
    return typeof v === "number" ? v : undefined;
  };
  const status = jobStatus(stats, notes, problems);
  const memoryBytes = get("memory_total");
  if (memoryBytes === undefined || memoryBytes <= 0) {
    problems.fail(
      {},
      'no memory total (memory_total, "Memory total")',
      "the guest memory in bytes > 0",
    );
  }
  const elapsed = get("time_elapsed");
  if (elapsed === undefined && status === "completed") {
    problems.fail(
      {},
      'no elapsed time (time_elapsed, "Time elapsed") for a completed job',
      "milliseconds >= 0",
    );
  }
  let dirty = resolved.dirtyPagesPerSecond;
  const used = new Set(
    [
      "type",
      "memory_total",
      "time_elapsed",
      "downtime",
      "memory_processed",
      "memory_iteration",
      "memory_page_size",
    ],
  );
  if (dirty === undefined) {
    dirty = get("memory_dirty_rate") ?? 0;
    used.add("memory_dirty_rate");
    notes.push(
      stats.has("memory_dirty_rate")
        ? `dirtyPagesPerSecond ${dirty} from libvirt's memory_dirty_rate`
        : "dirtyPagesPerSecond 0: the statistics have no memory_dirty_rate",
    );
  }
  const pageBytes = get("memory_page_size");
  if (pageBytes === undefined) {
    notes.push("pageBytes 4096: the statistics have no memory_page_size");
  }
  const run: MigrationRun = {
    method: resolved.method as string,
    contention: resolved.contention,
    memoryBytes,
    wssBytes: resolveWss("importLibvirt", resolved.wssBytes, memoryBytes),
    dirtyPagesPerSecond: dirty,
    pageBytes: pageBytes ?? 4096,
    migrationTimeSeconds: elapsed ?? NaN,
    status,
    extra,
  };
  const downtime = get("downtime");
  if (downtime !== undefined) run.downtimeSeconds = downtime;
  const processed = get("memory_processed");
  if (processed !== undefined) run.transferredBytes = processed;
  const iterations = get("memory_iteration");
  if (iterations !== undefined) run.iterations = iterations;
  if (resolved.linkBandwidthBytesPerSecond !== undefined) {
    run.linkBandwidthBytesPerSecond = resolved.linkBandwidthBytesPerSecond;
  }
  if (resolved.run !== undefined) run.run = resolved.run;
  for (const [key, { value }] of stats) {
    if (used.has(key)) continue;
    const [, kind] = KEYS[key] as [string, Kind, number];
    const suffix = unitSuffix(kind);
    const name = key.endsWith("_bytes") && suffix === "_bytes" ? key : `${key}${suffix}`;
    extra[name] = value;
  }
  return { run, form, notes: [...new Set(notes)] };
}

/** The statistics of `text` (JSON, key=value lines or virsh's text) into `stats` and `extra`; which form it was. */
function readStats(
  text: string,
  stats: Stats,
  extra: Record<string, string | number>,
  rounded: string[],
  problems: Problems,
): "virsh" | "keyValue" {
  let form: "virsh" | "keyValue" = "keyValue";
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (json !== undefined) {
    if (typeof json !== "object" || json === null || Array.isArray(json)) {
      problems.fail(
        { line: 1 },
        `${showCell(json)} is not an object`,
        "a JSON object of job statistics",
      );
    }
    for (const [key, value] of Object.entries(json as Record<string, unknown>)) {
      takeKeyValue(key, value, 1, stats, extra, problems);
    }
  } else {
    const lines = text.split("\n");
    const first = lines.find((l) => l.trim() !== "") ?? "";
    form = /^[a-z][a-z0-9_.]*\s*[=:]/.test(first.trim()) ? "keyValue" : "virsh";
    lines.forEach((rawLine, i) => {
      const line = i + 1;
      const row = rawLine.replace(/\r$/, "");
      if (row.trim() === "") return;
      if (form === "keyValue") {
        const m = /^\s*([a-z][a-z0-9_.]*)\s*[=:]\s*(.*?)\s*$/.exec(row);
        if (!m) {
          problems.add({ line, column: 1 }, `cannot read ${showCell(row)}`, "a key=value line");
          return;
        }
        const raw = m[2] as string;
        takeKeyValue(
          m[1] as string,
          /^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(raw) ? Number(raw) : raw,
          line,
          stats,
          extra,
          problems,
        );
        return;
      }
      takeVirshLine(row, line, stats, extra, rounded, problems);
    });
  }
  return form;
}

/** One line of virsh's `domjobinfo` output, into `stats` (or `extra` for a label it does not know). */
function takeVirshLine(
  row: string,
  line: number,
  stats: Stats,
  extra: Record<string, string | number>,
  rounded: string[],
  problems: Problems,
): void {
  const m = /^\s*([A-Za-z][A-Za-z0-9 /()-]*?)\s*:\s*(.*?)\s*$/.exec(row);
  if (!m) {
    problems.add(
      { line, column: 1 },
      `cannot read ${showCell(row)}`,
      'a "Label:  value" line as virsh prints',
    );
    return;
  }
  const label = m[1] as string;
  const raw = m[2] as string;
  const key = VIRSH[label];
  if (key === undefined) {
    const name = label.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_|_$/g, "");
    extra[name] = /^[+-]?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
    return;
  }
  const [, kind] = KEYS[key] as [string, Kind, number];
  if (kind === "count" || kind === "text") {
    const value = key === "type" || key === "operation"
      ? raw
      : /^\d+(\.\d+)?\s*%?$/.test(raw)
      ? Number(raw.replace("%", ""))
      : undefined;
    if (value === undefined) {
      problems.add(
        { line, field: label },
        `${showCell(raw)} is not a number`,
        "a count >= 0",
        raw,
      );
      return;
    }
    stats.set(key, { value, line, raw });
    return;
  }
  try {
    const ms = /^(\d+(?:\.\d+)?)\s*ms$/.exec(raw);
    let value = kind === "seconds" && ms ? Number(ms[1]) / 1000 : parseQuantity(raw, kind);
    if (kind === "bytes" && /[KMGT]iB/.test(raw)) {
      value = Math.round(value);
      rounded.push(label);
    }
    stats.set(key, { value, line, raw });
  } catch (error) {
    problems.add(
      { line, field: label },
      `${showCell(raw)} is not a quantity (${
        (error as Error).message.replace(/^parseQuantity: /, "")
      })`,
      `a number with its unit, as virsh prints it`,
      raw,
    );
  }
}

/** The run's status from the job type ("completed" when none is given, with a note). */
function jobStatus(stats: Stats, notes: string[], problems: Problems): string {
  const typeRaw = stats.get("type")?.value;
  let status: string;
  if (typeRaw === undefined) {
    status = "completed";
    notes.push('status "completed" assumed: no job type given (completed-job statistics)');
  } else {
    const mapped = JOB_TYPES[String(typeRaw)];
    if (mapped === undefined) {
      problems.fail(
        { line: stats.get("type")?.line, field: "type" },
        `${showCell(typeRaw)} is not a job type`,
        "Completed, Failed, Cancelled or a virDomainJobType number 0-5",
      );
    }
    status = mapped;
  }
  return status;
}

/** The SI unit suffix of a column name for a statistic of `kind` ("" for counts and text). */
function unitSuffix(kind: Kind): string {
  return kind === "seconds"
    ? "_seconds"
    : kind === "bytes"
    ? "_bytes"
    : kind === "bytesPerSecond"
    ? "_bytes_per_second"
    : kind === "pagesPerSecond"
    ? "_pages_per_second"
    : "";
}

function takeKeyValue(
  key: string,
  value: unknown,
  line: number,
  stats: Stats,
  extra: Record<string, string | number>,
  problems: Problems,
): void {
  const known = KEYS[key];
  if (known === undefined) {
    if (typeof value === "number" || typeof value === "string") extra[key] = value;
    else extra[key] = JSON.stringify(value) ?? String(value);
    return;
  }
  const [, kind, factor] = known;
  if (key === "operation" || (key === "type" && typeof value === "string")) {
    stats.set(key, { value: String(value), line, raw: String(value) });
    return;
  }
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    problems.add(
      { line, field: key },
      `${showCell(value)} is not a number >= 0`,
      kind === "seconds" ? "milliseconds >= 0" : kind === "bytes" ? "bytes >= 0" : "a number >= 0",
      value,
    );
    return;
  }
  const si = factor === 1e-3 ? value / 1000 : value * factor;
  stats.set(key, { value: si, line, raw: String(value) });
}
