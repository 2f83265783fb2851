// What a fit works on: the completed runs it uses, as per-run arrays, after
// the checks that the fit can be done (scale, baseline, identifiability).
import { showValue } from "../_validate.ts";
import type { MigrationRun } from "../data/types.ts";
import { isPrecopy } from "./_evaluate.ts";
import type { ResolvedFitOptions } from "./types.ts";

/** The runs a fit uses, one array entry per run (position p). */
export interface FitData {
  /** The public function's name, for messages. */
  where: string;
  /** All runs. */
  runs: readonly MigrationRun[];
  /** Index into `runs` of each run used. */
  indices: readonly number[];
  /** The runs used. */
  selected: readonly MigrationRun[];
  /** Each run's group: its contention label, or `"all"`. */
  groups: readonly string[];
  /** Each run's method. */
  methods: readonly string[];
  /** The distinct groups, sorted. */
  groupNames: readonly string[];
  /** The distinct methods, sorted. */
  methodNames: readonly string[];
  /** The scale fitted. */
  scale: "absolute" | "efficiency";
  /** Measured migration time, seconds. */
  measured: Float64Array;
  /** The link bandwidth (efficiency scale), or 1 (absolute), bytes/s. */
  link: Float64Array;
  /** W/M of a KVM post-copy run when the extra term is fitted, else 0. */
  workload: Float64Array;
  /** ln(M / (T × link)): a crude level to centre the searches on. */
  crude: Float64Array;
}

/** The group label of a run. */
export function groupOf(groupBy: "contention" | null, run: MigrationRun): string {
  return groupBy === null ? "all" : run.contention;
}

/**
 * Checks that the fit can be done on the runs of `indices` and lays them
 * out as per-run arrays.
 *
 * @param where The public function's name.
 * @param runs All runs.
 * @param indices The completed runs of the selected methods.
 * @param options Resolved options (`extraTerm` here means: fit with the term).
 * @throws {RangeError} If the scale is "efficiency" and a run has no link bandwidth, the baseline group has no runs, or a group or method has too few runs or configurations.
 */
export function fitData(
  where: string,
  runs: readonly MigrationRun[],
  indices: readonly number[],
  options: ResolvedFitOptions,
): FitData {
  const n = indices.length;
  const selected = indices.map((i) => runs[i]!);
  const groups = selected.map((run) => groupOf(options.groupBy, run));
  const methods = selected.map((run) => run.method);
  const groupNames = [...new Set(groups)].sort();
  const methodNames = [...new Set(methods)].sort();
  const scale = resolveScale(where, options.scale, selected, indices);
  const data: FitData = {
    where,
    runs,
    indices,
    selected,
    groups,
    methods,
    groupNames,
    methodNames,
    scale,
    measured: new Float64Array(n),
    link: new Float64Array(n),
    workload: new Float64Array(n),
    crude: new Float64Array(n),
  };
  checkIdentifiable(data, options);
  const { measured, link, workload, crude } = data;
  for (let p = 0; p < n; p++) {
    const run = selected[p]!;
    measured[p] = run.migrationTimeSeconds;
    link[p] = scale === "efficiency" ? run.linkBandwidthBytesPerSecond! : 1;
    workload[p] = options.extraTerm !== null && run.method === "kvm-postcopy"
      ? run.wssBytes / run.memoryBytes
      : 0;
    crude[p] = Math.log(run.memoryBytes / (run.migrationTimeSeconds * link[p]!));
  }
  return data;
}

/** The positions of the runs for which `test` holds. */
export function positionsWhere(n: number, test: (p: number) => boolean): number[] {
  const positions: number[] = [];
  for (let p = 0; p < n; p++) if (test(p)) positions.push(p);
  return positions;
}

/** values[positions[j]] for each j (a loop: Float64Array.from with a function is slow). */
export function gather(values: Float64Array, positions: readonly number[]): Float64Array {
  const out = new Float64Array(positions.length);
  for (let j = 0; j < positions.length; j++) out[j] = values[positions[j]!]!;
  return out;
}

/** The positions of several batches, one after the other. */
export function concatPositions(batches: readonly { positions: Int32Array }[]): Int32Array {
  const out = new Int32Array(batches.reduce((n, b) => n + b.positions.length, 0));
  let offset = 0;
  for (const batch of batches) {
    out.set(batch.positions, offset);
    offset += batch.positions.length;
  }
  return out;
}

function resolveScale(
  where: string,
  scale: ResolvedFitOptions["scale"],
  selected: readonly MigrationRun[],
  indices: readonly number[],
): "absolute" | "efficiency" {
  if (scale === "absolute") return "absolute";
  const missing = selected.findIndex((run) => run.linkBandwidthBytesPerSecond === undefined);
  if (scale === "auto") return missing < 0 ? "efficiency" : "absolute";
  if (missing >= 0) {
    throw new RangeError(
      `${where}: missing input "linkBandwidthBytesPerSecond" at run ${
        indices[missing]
      }, expected the link bandwidth on every run for scale "efficiency" (got undefined)`,
    );
  }
  return "efficiency";
}

function checkIdentifiable(data: FitData, options: ResolvedFitOptions): void {
  const { where, selected, indices, groups, groupNames, methods, methodNames } = data;
  if (options.groupBy !== null && !groupNames.includes(options.baseline)) {
    throw new RangeError(
      `${where}: baseline group ${
        showValue(options.baseline)
      } has no completed runs, expected one of ${groupNames.map((g) => `"${g}"`).join(", ")}`,
    );
  }
  const check = (label: string, members: number[]) => {
    if (members.length < 2) {
      throw new RangeError(
        `${where}: ${label} has too few completed runs, expected at least 2 (got ${members.length}${
          members.length === 1 ? `: run ${indices[members[0]!]}` : ""
        })`,
      );
    }
    const first = selected[members[0]!]!;
    const oneConfiguration = members.every((p) => {
      const r = selected[p]!;
      return r.memoryBytes === first.memoryBytes && r.wssBytes === first.wssBytes &&
        r.dirtyPagesPerSecond === first.dirtyPagesPerSecond && r.pageBytes === first.pageBytes &&
        r.linkBandwidthBytesPerSecond === first.linkBandwidthBytesPerSecond;
    });
    if (oneConfiguration && members.every((p) => isPrecopy(methods[p]!))) {
      throw new RangeError(
        `${where}: ${label} has all its ${members.length} runs at one configuration, expected pre-copy runs at 2 or more configurations (memoryBytes, wssBytes, dirtyPagesPerSecond) to identify the bandwidth (got 1)`,
      );
    }
  };
  const byGroup = membersOf(groups);
  for (const g of groupNames) {
    check(options.groupBy === null ? "the fit" : `group "${g}"`, byGroup.get(g)!);
  }
  if (options.bandwidthPer === "method") {
    const byMethod = membersOf(methods);
    for (const m of methodNames) check(`method "${m}"`, byMethod.get(m)!);
  }
}

function membersOf(labels: readonly string[]): Map<string, number[]> {
  const members = new Map<string, number[]>();
  labels.forEach((label, p) => {
    const list = members.get(label);
    if (list === undefined) members.set(label, [p]);
    else list.push(p);
  });
  return members;
}
