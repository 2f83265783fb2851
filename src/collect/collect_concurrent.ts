/**
 * The collector's concurrent mode: 2-3 real QEMU migrations at once between
 * three host namespaces whose shaped links they share.
 *
 * @module
 */

import { guarded } from "./_guarded.ts";
import { createTopology, type Link } from "./_host.ts";
import { migrateOnce, type MigrationSession } from "./_migrate.ts";
import { nowSeconds } from "./_qmp.ts";
import { baseRow, wssArg } from "./_run_row.ts";
import { beginSitting, openDataset } from "./_open_sitting.ts";
import { bootGuest, stopVm, type Vm } from "./_vm.ts";
import {
  CONCURRENT_NODES,
  type ConcurrentPlan,
  pendingConcurrentPlans,
} from "./concurrent_plans.ts";
import { formatPlanTables, PLAN_RUN_COLUMNS } from "./format_plan_tables.ts";
import { formatRunsCsv, RUN_COLUMNS } from "./format_runs_csv.ts";
import { type PlanTopology, planTopology } from "./plan_topology.ts";
import type { CollectMethod, GridPoint, RunRow } from "./types.ts";
import { writeTextAtomic } from "./write_text_atomic.ts";

const MIB = 1024 * 1024;

/** Options for {@linkcode collectConcurrent}; those of `collect` keep their meaning. */
export interface CollectConcurrentOptions {
  /** Output directory: `runs.csv`, `migrations.csv`, `nodes.csv`, metadata, traces. */
  outDir: string;
  /** The plans to run (`concurrentPlans`). */
  plans: readonly ConcurrentPlan[];
  /** The method of every migration. @default {"kvm-precopy"} */
  method?: CollectMethod;
  /** Every VM's memory, bytes (whole MiB, >= 64 MiB). @default {134217728 (128 MiB)} */
  memoryBytes?: number;
  /** Every host's uplink and downlink, bytes/s. @default {12.5e6 (100 Mbit/s)} */
  linkBandwidthBytesPerSecond?: number;
  /** Every guest's working set, bytes (whole MiB). @default {8388608 (8 MiB)} */
  wssBytes?: number;
  /** Every guest's dirty rate, pages/s. @default {256} */
  dirtyPagesPerSecond?: number;
  /** QEMU's downtime limit, seconds. @default {0.3} */
  downtimeLimitSeconds?: number;
  /** Pre-copy non-convergence limit, seconds. @default {60} */
  timeoutSeconds?: number;
  /** Any migration's limit, seconds. @default {180} */
  hardTimeoutSeconds?: number;
  /** Quiet time of every guest before the plan starts, seconds. @default {5} */
  baselineSeconds?: number;
  /** Time recorded after each migration, seconds. @default {2} */
  afterSeconds?: number;
  /** Fill the guests' free memory with non-zero data. @default {true} */
  fill?: boolean;
  /** Accelerator. @default {"auto"} */
  accel?: "auto" | "kvm" | "tcg";
  /** When post-copy switches. @default {"immediate"} */
  postcopySwitch?: "after-first-pass" | "immediate";
  /** Niceness of QEMU. @default {-10} */
  niceness?: number;
  /** Run again plans with a row that is not `completed`. @default {false} */
  retryFailed?: boolean;
  /** Other load on the machine, for the metadata. @default {""} */
  hostLoadNote?: string;
  /** The command line, for the metadata. @default {[]} */
  commandLine?: readonly string[];
  /** Progress lines. @default {console.error} */
  log?: (line: string) => void;
}

/** What {@linkcode collectConcurrent} did. */
export interface CollectConcurrentResult {
  /** Plans run in this session. */
  ran: number;
  /** Plans skipped because `runs.csv` held them. */
  skipped: number;
  /** Rows by status, this session. */
  statuses: Record<string, number>;
  /** The accelerator used (`""` when nothing ran). */
  accelerator: string;
}

/** Seconds between the last guest's boot and the plan's start, beyond the baseline. */
const START_MARGIN_SECONDS = 4;

/**
 * Runs each plan for real: builds the three-host topology (`planTopology`),
 * boots one small guest per migration on its source host, starts the
 * migrations at the plan's offsets (after every guest's baseline), polls them
 * all, and writes after each plan `runs.csv` (the collector's rows plus
 * {@linkcode PLAN_RUN_COLUMNS}: plan id, migration id, hosts, start and end
 * relative to the plan's start), `migrations.csv` and `nodes.csv` (the plan
 * tables, `formatPlanTables`) and the metadata. Resumes by plan id. Needs
 * root and QEMU >= 9, as `collect`.
 *
 * @param options See {@linkcode CollectConcurrentOptions}.
 * @returns A summary of the session.
 * @throws {RangeError} If an option is out of range.
 * @throws {CollectSetupError} (one line and exit 2 in `deno task collect`) If the
 * host or the output directory cannot run it, as `collect`.
 *
 * @example Resuming with nothing left to run touches no hypervisor
 * ```ts
 * import { collectConcurrent } from "./collect_concurrent.ts";
 * import assert from "node:assert/strict";
 *
 * const outDir = await Deno.makeTempDir();
 * const result = await collectConcurrent({ outDir, plans: [], log: () => {} });
 * assert.deepEqual(result, { ran: 0, skipped: 0, statuses: {}, accelerator: "" });
 * await Deno.remove(outDir, { recursive: true });
 * ```
 */
export async function collectConcurrent(
  options: CollectConcurrentOptions,
): Promise<CollectConcurrentResult> {
  const o = resolveOptions(options);
  const columns = [...RUN_COLUMNS, ...PLAN_RUN_COLUMNS];
  const dataset = await openDataset(o, columns);
  const { rows, csvPath } = dataset;
  const todo = pendingConcurrentPlans(o.plans, rows, { retryFailed: o.retryFailed });
  const skipped = o.plans.length - todo.length;
  o.log(
    `collect: ${o.plans.length} plans, ${skipped} already in ${csvPath}, ${todo.length} to run`,
  );
  const accelerator = o.accel === "auto" ? "" : o.accel;
  if (todo.length === 0) return { ran: 0, skipped, statuses: {}, accelerator };
  return await guarded(o.log, async (work, interrupted) => {
    const topology = planTopology(CONCURRENT_NODES, {
      rateBytesPerSecond: o.linkBandwidthBytesPerSecond,
    });
    const createNetwork = async (): Promise<Link> => {
      await createTopology(topology);
      return pairLink(topology, CONCURRENT_NODES[0]!, CONCURRENT_NODES[1]!);
    };
    const sitting = await beginSitting(o, dataset, work, {
      downtimeLimitsSeconds: [],
      createNetwork,
      notes: concurrentNotes(o.linkBandwidthBytesPerSecond, topology.tcCommand),
    });
    const statuses: Record<string, number> = {};
    let ran = 0;
    for (const plan of todo) {
      const planRows = await runPlan(sitting.session, topology, plan, o);
      if (interrupted()) await new Promise(() => {}); // the signal handler exits
      const kept = rows.filter((row) => row.plan !== plan.id);
      rows.splice(0, rows.length, ...kept, ...planRows);
      await writeTextAtomic(csvPath, formatRunsCsv(rows, columns));
      const tables = formatPlanTables(rows, topology.nodes);
      await writeTextAtomic(`${o.outDir}/migrations.csv`, tables.migrationsCsv);
      await writeTextAtomic(`${o.outDir}/nodes.csv`, tables.nodesCsv);
      ran++;
      await sitting.writeMeta(ran);
      for (const row of planRows) {
        statuses[String(row.status)] = (statuses[String(row.status)] ?? 0) + 1;
        o.log(
          `collect: plan ${plan.id} ${row.plan_migration} ${row.source_node}->${row.destination_node}` +
            ` ${row.status} start ${row.plan_start_seconds} s, ${row.migration_time_seconds} s`,
        );
      }
    }
    return { ran, skipped, statuses, accelerator: sitting.session.accelerator };
  });
}

/** The two-sided link view of the path `source` → `destination` (side 0 the source). */
function pairLink(topology: PlanTopology, source: string, destination: string): Link {
  const [a, b] = [source, destination].map((n) => topology.nodes.find((x) => x.name === n)!);
  return {
    ns: [a!.namespace, b!.namespace],
    addr: [a!.address, b!.address],
    rateBitsPerSecond: a!.uplinkBytesPerSecond * 8,
    tcCommand: topology.tcCommand,
  };
}

type Resolved = Required<CollectConcurrentOptions>;

/** One plan: boots its guests, runs its migrations at their offsets, stops what is left. */
async function runPlan(
  session: MigrationSession,
  topology: PlanTopology,
  plan: ConcurrentPlan,
  o: Resolved,
): Promise<RunRow[]> {
  const point: GridPoint = {
    method: o.method,
    contention: "none",
    wss: o.wssBytes,
    dirtyPagesPerSecond: o.dirtyPagesPerSecond,
    run: plan.run,
  };
  const cfg = {
    wssArg: wssArg(o.wssBytes),
    rate: o.dirtyPagesPerSecond,
    pattern: "sweep" as const,
  };
  const views = plan.migrations.map((m, k): MigrationSession => ({
    ...session,
    link: pairLink(topology, m.source, m.destination),
    migrationPort: 4444 + k,
    traceStamp: `${plan.id}_${m.id}`,
  }));
  o.log(`collect: plan ${plan.id}: booting ${plan.migrations.length} guests`);
  const booted = await Promise.allSettled(
    views.map((view) => bootGuest(view, cfg, session.accelerator)),
  );
  const t0 = nowSeconds() + o.baselineSeconds + START_MARGIN_SECONDS;
  const results = await Promise.allSettled(plan.migrations.map(async (m, k) => {
    const boot = booted[k]!;
    if (boot.status === "rejected") throw boot.reason;
    const view = { ...views[k]!, startAtSeconds: t0 + m.startSeconds };
    return await migrateOnce(view, point, boot.value.vm, boot.value.ready);
  }));
  const rows: RunRow[] = [];
  const left: (Vm | undefined)[] = [];
  for (const [k, m] of plan.migrations.entries()) {
    const result = results[k]!;
    const boot = booted[k]!;
    const planCells = {
      plan: plan.id,
      plan_migration: m.id,
      source_node: m.source,
      destination_node: m.destination,
    };
    if (result.status === "fulfilled") {
      left.push(result.value.vm);
      rows.push({
        ...result.value.row,
        ...planCells,
        plan_start_seconds: round3(result.value.startedSeconds - t0),
        plan_end_seconds: round3(result.value.endedSeconds - t0),
      });
    } else {
      if (boot.status === "fulfilled") left.push(boot.value.vm);
      const ready = boot.status === "fulfilled" ? boot.value.ready : {};
      rows.push({
        ...baseRow(point, ready, session),
        ...planCells,
        plan_start_seconds: m.startSeconds,
        message: `collector: ${(result.reason as Error).message}`.slice(0, 500),
      });
    }
  }
  await Promise.all(left.map((vm) => stopVm(vm)));
  return rows;
}

/** The metadata's words for the concurrent mode's testbed. */
function concurrentNotes(rateBytesPerSecond: number, tcCommand: string) {
  const mbps = (rateBytesPerSecond * 8) / 1e6;
  return {
    description:
      "Real QEMU live migrations on one host, 2-3 at once (plans): three host namespaces a, b, c joined by veth pairs to a bridge in a switch namespace, every host's uplink and downlink shaped with tc tbf; one row per migration in the run schema plus plan columns, and the plan tables migrations.csv and nodes.csv.",
    link:
      `${mbps} Mbit/s uplink and downlink per host: three host namespaces joined by veth pairs to a bridge in a switch namespace, ${tcCommand}`,
    memoryMeaning:
      "memory_bytes in runs.csv is the VM's configured RAM; a small guest's free memory is filled with non-zero data, yet QEMU finds about a third of it zero pages (zero_pages), so migrations.csv gives memory_bytes as ram_total_bytes less zero_pages x page_bytes, the bytes the first pass sends",
  };
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function resolveOptions(options: CollectConcurrentOptions): Resolved {
  const o: Resolved = {
    method: "kvm-precopy",
    memoryBytes: 128 * MIB,
    linkBandwidthBytesPerSecond: 12.5e6,
    wssBytes: 8 * MIB,
    dirtyPagesPerSecond: 256,
    downtimeLimitSeconds: 0.3,
    timeoutSeconds: 60,
    hardTimeoutSeconds: 180,
    baselineSeconds: 5,
    afterSeconds: 2,
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
    plans: options.plans,
  };
  if (!Number.isInteger(o.memoryBytes / MIB) || o.memoryBytes < 64 * MIB) {
    throw new RangeError(
      `collectConcurrent: invalid option "memoryBytes", expected a whole number of MiB >= 64 MiB (got ${o.memoryBytes})`,
    );
  }
  if (!Number.isInteger(o.wssBytes / MIB) || o.wssBytes < 0 || o.wssBytes >= o.memoryBytes) {
    throw new RangeError(
      `collectConcurrent: invalid option "wssBytes", expected a whole number of MiB below the VM's memory (got ${o.wssBytes})`,
    );
  }
  for (const key of ["linkBandwidthBytesPerSecond", "dirtyPagesPerSecond"] as const) {
    const value = o[key];
    if (!Number.isFinite(value) || value < 0 || (key === "linkBandwidthBytesPerSecond" && !value)) {
      throw new RangeError(
        `collectConcurrent: invalid option "${key}", expected a finite number ${
          key === "linkBandwidthBytesPerSecond" ? "> 0 (bytes/s)" : ">= 0 (pages/s)"
        } (got ${value})`,
      );
    }
  }
  return o;
}
