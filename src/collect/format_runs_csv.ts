import type { RunRow } from "./types.ts";

/**
 * The columns of the collector's `runs.csv`, in order: the run schema's
 * columns first (snake_case, SI units), then the collector's extras.
 */
export const RUN_COLUMNS: readonly string[] = [
  "method",
  "contention",
  "memory_bytes",
  "wss_bytes",
  "dirty_pages_per_second",
  "page_bytes",
  "link_bandwidth_bytes_per_second",
  "migration_time_seconds",
  "downtime_seconds",
  "transferred_bytes",
  "iterations",
  "status",
  "run",
  "requested_wss",
  "requested_dirty_pages_per_second",
  "dirty_rate_source",
  "downtime_limit_seconds",
  "accelerator",
  "ram_total_bytes",
  "zero_pages",
  "normal_pages",
  "filler_bytes",
  "throughput_bytes_per_second",
  "qmp_downtime_seconds",
  "downtime_source",
  "setup_time_seconds",
  "postcopy_switch",
  "postcopy_switched",
  "xen_stop_reason",
  "timeout_seconds",
  "verify",
  "started_at",
  "trace_file",
  "message",
  // The noise columns (issue #13; empty on rows written before them).
  "guest_progress_ratio",
  "guest_lost_seconds",
  "colocated_progress_ratio",
  "postcopy_blocktime_seconds",
  "postcopy_vcpu_blocktime_seconds",
  "source_migration_cpu_seconds",
  "destination_migration_cpu_seconds",
  "write_pattern",
  "host_cpu",
];

function cell(value: string | number | boolean | undefined): string {
  if (value === undefined) return "";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) {
      throw new RangeError(`formatRunsCsv: invalid cell, expected a finite number (got ${value})`);
    }
    return String(value);
  }
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * Formats rows as the collector's `runs.csv`: a header row, one line per row,
 * `\n` line ends, RFC 4180 quoting for cells holding a comma, quote or line
 * break. A row's missing column is an empty cell; a column not in `columns`
 * is an error, so nothing is dropped silently.
 *
 * @param rows The rows.
 * @param columns The columns, in order.
 * @returns The CSV text, ending in a line break.
 * @throws {RangeError} If a row has a column not listed or a number that is not finite.
 *
 * @example A message with a comma is quoted
 * ```ts
 * import { formatRunsCsv } from "./format_runs_csv.ts";
 * import assert from "node:assert/strict";
 *
 * const text = formatRunsCsv([{ method: "kvm-precopy", message: "cancelled, 60 s" }], ["method", "message"]);
 * assert.equal(text, 'method,message\nkvm-precopy,"cancelled, 60 s"\n');
 * ```
 */
export function formatRunsCsv(
  rows: readonly RunRow[],
  columns: readonly string[] = RUN_COLUMNS,
): string {
  const known = new Set(columns);
  const lines = [columns.join(",")];
  for (const [index, row] of rows.entries()) {
    for (const name of Object.keys(row)) {
      if (!known.has(name)) {
        throw new RangeError(
          `formatRunsCsv: invalid row ${index}, expected only known columns (got "${name}")`,
        );
      }
    }
    lines.push(columns.map((name) => cell(row[name])).join(","));
  }
  return lines.join("\n") + "\n";
}
