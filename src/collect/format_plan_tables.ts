/**
 * The concurrent mode's plan tables (data/README.md "Plan tables"): its
 * `runs.csv` rows as a migrations table and its hosts as a node table, which
 * `loadPlans` reads and `simulatePlan`/`fitPlans` predict.
 *
 * @module
 */

import type { RunRow } from "./types.ts";

/** The run columns the concurrent mode adds to `runs.csv`. */
export const PLAN_RUN_COLUMNS: readonly string[] = [
  "plan",
  "plan_migration",
  "source_node",
  "destination_node",
  "plan_start_seconds",
  "plan_end_seconds",
];

/** A host of the node table. */
export interface PlanTableNode {
  /** Its name. */
  name: string;
  /** Uplink, bytes/s (the tc rate). */
  uplinkBytesPerSecond: number;
  /** Downlink, bytes/s. */
  downlinkBytesPerSecond: number;
}

/** The two tables as CSV text. */
export interface PlanTables {
  /** `migrations.csv`. */
  migrationsCsv: string;
  /** `nodes.csv`. */
  nodesCsv: string;
}

const MIGRATION_COLUMNS = [
  "plan",
  "id",
  "method",
  "memory_bytes",
  "wss_bytes",
  "dirty_pages_per_second",
  "source",
  "destination",
  "start_seconds",
  "migration_time_seconds",
  "end_seconds",
  "status",
  "source_migration_cpu_fraction",
  "trace_file",
  "ram_total_bytes",
  "zero_bytes",
];

/** The collector's method names in the plan tables' vocabulary. */
const PLAN_METHOD: Record<string, string> = {
  "kvm-precopy": "kvm-precopy",
  "kvm-postcopy": "kvm-postcopy",
  "xen-precopy-policy": "xen-precopy",
};

function cell(value: string | number | boolean | undefined): string {
  const text = value === undefined ? "" : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function numberCell(row: RunRow, column: string, index: number): number {
  const value = Number(row[column]);
  if (row[column] === "" || row[column] === undefined || !Number.isFinite(value)) {
    throw new RangeError(
      `formatPlanTables: invalid row ${index}, expected column "${column}" a number (got ${
        JSON.stringify(row[column])
      })`,
    );
  }
  return value;
}

/**
 * Writes the migrations table from the rows that carry a `plan` (other rows
 * are left out) and the node table from `nodes`. `memory_bytes` is the memory
 * the first pass sends: QEMU's `ram_total_bytes` less its zero pages
 * (`zero_pages` × `page_bytes`, which cost 9 bytes each on the wire and which
 * `simulatePlan` has no input for; a small guest's are a third of its RAM),
 * or the row's `memory_bytes` when QEMU's counts are missing (a failed run);
 * the working set is capped at it. A migration's time is the
 * row's `migration_time_seconds` when it `completed`, else empty (not
 * measured); `source_migration_cpu_fraction` is the source QEMU's migration
 * CPU seconds over that time, near 1 when the CPU, not the link, was the
 * limit. The dirty rate is what the guest achieved.
 *
 * @param rows The `runs.csv` rows.
 * @param nodes The hosts and their link rates.
 * @returns The tables.
 * @throws {RangeError} If a plan row lacks a number the table needs (memory,
 * working set, dirty rate, start) or names a method the plans do not know.
 *
 * @example A completed migration is measured, without its zero pages; a failed one is not
 * ```ts
 * import { formatPlanTables } from "./format_plan_tables.ts";
 * import assert from "node:assert/strict";
 *
 * const base = {
 *   plan: "p", method: "kvm-precopy", memory_bytes: 134217728, wss_bytes: 8388608,
 *   dirty_pages_per_second: 250, source_node: "a", plan_start_seconds: 0,
 * };
 * const { migrationsCsv, nodesCsv } = formatPlanTables([
 *   { ...base, plan_migration: "m1", destination_node: "b", status: "completed",
 *     migration_time_seconds: 20, plan_end_seconds: 20, source_migration_cpu_seconds: 5,
 *     ram_total_bytes: 134750208, zero_pages: 12826, page_bytes: 4096 },
 *   { ...base, plan_migration: "m2", destination_node: "c", status: "failed", plan_start_seconds: 4 },
 * ], [{ name: "a", uplinkBytesPerSecond: 12.5e6, downlinkBytesPerSecond: 12.5e6 }]);
 * const lines = migrationsCsv.trim().split("\n");
 * // 134750208 - 12826 * 4096 = 82214912 bytes sent by the first pass
 * assert.equal(lines[1], "p,m1,kvm-precopy,82214912,8388608,250,a,b,0,20,20,completed,0.25,,134750208,52535296");
 * assert.equal(lines[2], "p,m2,kvm-precopy,134217728,8388608,250,a,c,4,,,failed,,,,");
 * assert.equal(nodesCsv, "node,uplink_bytes_per_second,downlink_bytes_per_second\na,12500000,12500000\n");
 * ```
 */
export function formatPlanTables(
  rows: readonly RunRow[],
  nodes: readonly PlanTableNode[],
): PlanTables {
  const lines = [MIGRATION_COLUMNS.join(",")];
  for (const [index, row] of rows.entries()) {
    if (row.plan === undefined || row.plan === "") continue;
    const method = PLAN_METHOD[String(row.method)];
    if (method === undefined) {
      throw new RangeError(
        `formatPlanTables: invalid row ${index}, expected column "method" one of ${
          Object.keys(PLAN_METHOD).join(", ")
        } (got ${JSON.stringify(row.method)})`,
      );
    }
    const rate = row.dirty_pages_per_second === "" || row.dirty_pages_per_second === undefined
      ? numberCell(row, "requested_dirty_pages_per_second", index)
      : numberCell(row, "dirty_pages_per_second", index);
    const measured = row.status === "completed";
    const time = measured ? numberCell(row, "migration_time_seconds", index) : undefined;
    const zeroBytes = Number(row.zero_pages) * Number(row.page_bytes ?? 4096);
    const ram = Number(row.ram_total_bytes);
    const counted = row.ram_total_bytes !== "" && row.zero_pages !== "" &&
      Number.isFinite(ram) && Number.isFinite(zeroBytes) && ram - zeroBytes > 0;
    const memory = counted ? ram - zeroBytes : numberCell(row, "memory_bytes", index);
    const cpu = Number(row.source_migration_cpu_seconds);
    const cpuFraction = time !== undefined && row.source_migration_cpu_seconds !== "" &&
        Number.isFinite(cpu)
      ? Math.round((cpu / time) * 1000) / 1000
      : undefined;
    lines.push(
      [
        row.plan,
        row.plan_migration,
        method,
        memory,
        Math.min(numberCell(row, "wss_bytes", index), memory),
        rate,
        row.source_node,
        row.destination_node,
        numberCell(row, "plan_start_seconds", index),
        time,
        measured ? row.plan_end_seconds : undefined,
        row.status,
        cpuFraction,
        row.trace_file,
        counted ? ram : undefined,
        counted ? zeroBytes : undefined,
      ].map(cell).join(","),
    );
  }
  const nodeLines = ["node,uplink_bytes_per_second,downlink_bytes_per_second"];
  for (const node of nodes) {
    nodeLines.push(
      [node.name, node.uplinkBytesPerSecond, node.downlinkBytesPerSecond].map(cell).join(","),
    );
  }
  return { migrationsCsv: lines.join("\n") + "\n", nodesCsv: nodeLines.join("\n") + "\n" };
}
