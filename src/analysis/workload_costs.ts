/**
 * The data of Figures 2 and 4 and the noise figure: one measured cost per
 * method, contention and workload (mean and spread of the repeats), and the
 * model's value at the same workloads when it is given.
 *
 * @module
 */

import { checkObject, showValue } from "../_validate.ts";
import { MAX_PROGRESS_RATIO } from "../fit/fit_noise.ts";
import type { MigrationRun } from "../data/types.ts";
import { nominalOf, orderContentions, orderMethods } from "./_workload_terms.ts";
import type {
  WorkloadCostPoint,
  WorkloadCosts,
  WorkloadModelPoint,
  WorkloadSlot,
} from "../plot/figure_workload_cost_spec.ts";

/** The costs a workload figure can draw, by run field. */
export const WORKLOAD_QUANTITIES = [
  "downtimeSeconds",
  "migrationTimeSeconds",
  "guestProgressRatio",
  "colocatedProgressRatio",
] as const;

/** One of {@linkcode WORKLOAD_QUANTITIES}. */
export type WorkloadQuantity = typeof WORKLOAD_QUANTITIES[number];

/** Options for {@linkcode workloadCosts}. */
export interface WorkloadCostsOptions {
  /** Which cost: the pause, the migration time, or a progress ratio. */
  quantity: WorkloadQuantity;
  /**
   * The contentions, one panel each (the paper's Figures 2 and 4: CPU and network).
   *
   * @default {["cpu", "network"]}
   */
  contentions?: readonly string[];
  /**
   * The model's values: runs (e.g. `nominalRuns`' output) and one value per
   * run, in the quantity's unit; NaN where the model has none (a pre-copy
   * that does not converge). They are drawn as lines at the runs' nominal
   * workloads.
   *
   * @default {undefined (no model line)}
   */
  model?: { runs: readonly MigrationRun[]; values: ArrayLike<number> };
  /**
   * A second measured quantity drawn beside the first as rings (the noise
   * figure: the co-located load's ratio beside the guest's); left out when
   * no run has it.
   *
   * @default {undefined}
   */
  secondary?: WorkloadQuantity;
  /**
   * The model's values of the secondary quantity, as `model` (drawn dashed).
   *
   * @default {undefined (no line)}
   */
  secondaryModel?: { runs: readonly MigrationRun[]; values: ArrayLike<number> };
}

/** A measured value of a run and whether it is a proxy. */
export interface MeasuredCost {
  /** The value, in the quantity's unit. */
  value: number;
  /** True when it is the dirty rate proxy of a guest progress ratio. */
  proxy: boolean;
}

/**
 * A run's measured cost, or a reason it has none. Progress ratios come from
 * the run's `guestProgressRatio` / `colocatedProgressRatio` (or the
 * collector's `guest_progress_ratio` / `colocated_progress_ratio` columns
 * in `extra`); without a measured guest ratio, the guest's achieved over its
 * requested dirty rate is the **proxy** (`proxy: true`; none for W = 0,
 * where the guest writes nothing). A measured ratio above
 * `MAX_PROGRESS_RATIO` (1.2) has no value: its baseline was disturbed.
 *
 * @param run The run (completed).
 * @param quantity The cost.
 * @returns The value, or a string saying why there is none.
 */
export function measuredCost(run: MigrationRun, quantity: WorkloadQuantity): MeasuredCost | string {
  if (quantity === "downtimeSeconds" || quantity === "migrationTimeSeconds") {
    const value = run[quantity];
    return typeof value === "number" && Number.isFinite(value) && value >= 0
      ? { value, proxy: false }
      : `no ${quantity}`;
  }
  const typed = (run as unknown as Record<string, unknown>)[quantity];
  const column = quantity === "guestProgressRatio"
    ? "guest_progress_ratio"
    : "colocated_progress_ratio";
  const raw = typed ?? run.extra[column];
  const measured = typeof raw === "string" && raw !== "" ? Number(raw) : raw;
  if (typeof measured === "number" && measured > MAX_PROGRESS_RATIO) {
    return `${column} above ${MAX_PROGRESS_RATIO} (a disturbed baseline)`;
  }
  if (typeof measured === "number" && Number.isFinite(measured) && measured >= 0) {
    return { value: measured, proxy: false };
  }
  if (quantity === "colocatedProgressRatio") return "no colocated_progress_ratio";
  const requested = run.requestedDirtyPagesPerSecond;
  const wss = run.requestedWssBytes ?? run.wssBytes;
  if (wss === 0 || !(requested !== undefined && requested > 0)) return "no progress (WSS 0)";
  if (run.dirtyRateSource === "requested") return "no measured dirty rate";
  return { value: run.dirtyPagesPerSecond / requested, proxy: true };
}

/**
 * Arranges runs for `figureWorkloadCostSpec`: for each method, contention
 * (of `contentions`) and nominal workload (requested WSS and dirty rate,
 * as Figures 5 and 6 place runs), the mean, min and max of the completed
 * runs' measured cost (`measuredCost`), and the model's values at the same
 * workloads when `model` is given. Runs that did not complete are grouped
 * the same way in `incomplete` (drawn as triangles); completed runs without
 * a value of the quantity are counted in `leftOut`, never dropped silently.
 *
 * Cost: O(n log n) for n runs.
 *
 * @param runs The runs, as `loadRuns` gives them.
 * @param options The quantity, the contentions, the model's values.
 * @returns The figure's data.
 * @throws {TypeError} If runs or options have the wrong type.
 * @throws {RangeError} If the quantity is unknown or the model's lengths differ.
 *
 * @example The pause of two post-copy runs at one workload
 * ```ts
 * import { workloadCosts } from "./workload_costs.ts";
 * import assert from "node:assert/strict";
 * const run = {
 *   method: "kvm-postcopy", contention: "cpu", memoryBytes: 2 ** 30, wssBytes: 2 ** 26,
 *   dirtyPagesPerSecond: 15000, pageBytes: 4096, migrationTimeSeconds: 10, downtimeSeconds: 0.004,
 *   requestedDirtyPagesPerSecond: 15360, status: "completed", extra: {},
 * };
 * const costs = workloadCosts([run, { ...run, downtimeSeconds: 0.006 }], {
 *   quantity: "downtimeSeconds",
 * });
 * assert.equal(costs.points.length, 1);
 * assert.equal(costs.points[0]!.mean, 0.005);
 * assert.equal(costs.points[0]!.dirtyPagesPerSecond, 15360);
 * ```
 */
export function workloadCosts(
  runs: readonly MigrationRun[],
  options: WorkloadCostsOptions,
): WorkloadCosts {
  const where = "workloadCosts";
  if (!Array.isArray(runs)) {
    throw new TypeError(`${where}: invalid runs, expected an array (got ${showValue(runs)})`);
  }
  checkObject(where, "options", options);
  const { quantity, contentions = ["cpu", "network"], model } = options;
  if (!WORKLOAD_QUANTITIES.includes(quantity)) {
    throw new RangeError(
      `${where}: invalid option "quantity", expected one of ${
        WORKLOAD_QUANTITIES.map((q) => `"${q}"`).join(", ")
      } (got ${showValue(quantity)})`,
    );
  }
  if (model && model.values.length !== model.runs.length) {
    throw new RangeError(
      `${where}: invalid option "model", expected one value per run (${model.runs.length}) (got ${model.values.length})`,
    );
  }
  const leftOut: Record<string, number> = {};
  const { groups, proxyRuns, incomplete } = groupRuns(runs, quantity, contentions, leftOut);
  const second = options.secondary === undefined
    ? undefined
    : groupRuns(runs, options.secondary, contentions, {});
  const modelRuns = model
    ? model.runs.map((run, i) => ({ run, value: model.values[i]! }))
      .filter(({ run, value }) => contentions.includes(run.contention) && Number.isFinite(value))
    : [];
  const slots = slotsOf(
    [...groups.values(), ...(second?.groups.values() ?? []), ...incomplete.values()]
      .map((g) => g.run).concat(modelRuns.map((m) => m.run)),
  );
  const methods = orderMethods(
    [...groups.values(), ...incomplete.values()].map((g) => g.run.method),
  );
  const offset = (method: string) =>
    methods.length > 1 ? 0.22 * (methods.indexOf(method) / (methods.length - 1) - 0.5) : 0;
  const pointsOf = (of: Map<string, Group>): WorkloadCostPoint[] =>
    [...of.values()].map(({ run, values, proxy }) => {
      const slot = slots.get(slotKey(run))!;
      return {
        ...(proxy ? { proxy } : {}),
        method: run.method,
        contention: run.contention,
        wss: slot.wss,
        dirtyPagesPerSecond: slot.dirtyPagesPerSecond,
        position: slot.position + offset(run.method),
        mean: values.reduce((a, b) => a + b, 0) / values.length,
        min: Math.min(...values),
        max: Math.max(...values),
        repeats: values.length,
      };
    }).sort((a, b) => a.position - b.position || a.contention.localeCompare(b.contention));
  const modelPointsOf = (of: typeof modelRuns): WorkloadModelPoint[] =>
    of.filter(({ run, value }) => Number.isFinite(value) && slots.has(slotKey(run)))
      .map(({ run, value }) => {
        const slot = slots.get(slotKey(run))!;
        return { method: run.method, contention: run.contention, ...slot, value };
      }).sort((a, b) => a.position - b.position);
  const modelPoints = modelPointsOf(modelRuns);
  const secondModel = options.secondaryModel;
  const secondModelPoints = secondModel
    ? modelPointsOf(
      secondModel.runs.map((run, i) => ({ run, value: secondModel.values[i]! }))
        .filter(({ run }) => contentions.includes(run.contention)),
    )
    : [];
  return {
    quantity,
    contentions: orderContentions(contentions),
    methods,
    workloads: [...slots.values()].sort((a, b) => a.position - b.position),
    points: pointsOf(groups),
    model: modelPoints,
    leftOut,
    ...(incomplete.size > 0
      ? {
        incomplete: [...incomplete.values()].map(({ run, runs }) => {
          const slot = slots.get(slotKey(run))!;
          return {
            method: run.method,
            contention: run.contention,
            wss: slot.wss,
            dirtyPagesPerSecond: slot.dirtyPagesPerSecond,
            position: slot.position + offset(run.method),
            status: run.status,
            runs,
          };
        }).sort((a, b) => a.position - b.position || a.contention.localeCompare(b.contention)),
      }
      : {}),
    proxyRuns,
    ...(second && second.groups.size > 0
      ? {
        secondary: {
          quantity: options.secondary!,
          points: pointsOf(second.groups),
          ...(secondModelPoints.length > 0 ? { model: secondModelPoints } : {}),
        },
      }
      : {}),
  };
}

/** A configuration's runs and their values (measured, or all the proxy). */
interface Group {
  run: MigrationRun;
  values: number[];
  proxy: boolean;
}

/**
 * The completed runs of the contentions grouped by configuration, the others
 * by configuration and status (`incomplete`); completed runs without the
 * quantity counted in `leftOut`.
 */
function groupRuns(
  runs: readonly MigrationRun[],
  quantity: WorkloadQuantity,
  contentions: readonly string[],
  leftOut: Record<string, number>,
): {
  groups: Map<string, Group>;
  proxyRuns: number;
  incomplete: Map<string, { run: MigrationRun; runs: number }>;
} {
  const count = (why: string) => (leftOut[why] = (leftOut[why] ?? 0) + 1);
  const groups = new Map<string, Group>();
  const incomplete = new Map<string, { run: MigrationRun; runs: number }>();
  let proxyRuns = 0;
  for (const run of runs) {
    if (!contentions.includes(run.contention)) continue;
    if (run.status !== "completed") {
      const key = JSON.stringify([keyOf(run), run.status]);
      const group = incomplete.get(key) ?? { run, runs: 0 };
      group.runs++;
      incomplete.set(key, group);
      continue;
    }
    const cost = measuredCost(run, quantity);
    if (typeof cost === "string") {
      count(`${run.method}: ${cost}`);
      continue;
    }
    if (cost.proxy) proxyRuns++;
    const key = JSON.stringify([keyOf(run), cost.proxy]);
    const group = groups.get(key) ?? { run, values: [], proxy: cost.proxy };
    group.values.push(cost.value);
    groups.set(key, group);
  }
  return { groups, proxyRuns, incomplete };
}

function slotKey(run: MigrationRun): string {
  const nominal = nominalOf(run);
  return JSON.stringify([nominal.wss, nominal.rate]);
}

function keyOf(run: MigrationRun): string {
  return JSON.stringify([run.method, run.contention, slotKey(run)]);
}

/** The x axis: each (WSS, rate) once, WSS groups in order of size ("Full" last), rates within. */
function slotsOf(runs: readonly MigrationRun[]): Map<string, WorkloadSlot> {
  const seen = new Map<string, { wss: string; size: number; rate: number }>();
  for (const run of runs) {
    const nominal = nominalOf(run);
    seen.set(slotKey(run), { wss: nominal.wss, size: nominal.wssSize, rate: nominal.rate });
  }
  const ordered = [...seen.entries()].sort(([, a], [, b]) => a.size - b.size || a.rate - b.rate);
  return new Map(
    ordered.map(([key, s], position) => [
      key,
      { wss: s.wss, dirtyPagesPerSecond: s.rate, position },
    ]),
  );
}
