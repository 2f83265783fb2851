// The fit on columns where the groups hold Xen pre-copy runs (`xen-precopy`)
// beside KVM post-copy ones (`deno task fit` on a mixed file): the point fit,
// the bootstrap and the cross-validation's fold fits as the object path
// computes them (same draws, same folds, same searches: _columns_search.ts),
// with no object per run.
import type { RunColumns } from "../data/load_run_columns.ts";
import type { ResolvedXenOptions } from "../models/xen_precopy.ts";
import {
  fullSearch,
  type GroupWeights,
  localCycles,
  type ScanCaches,
  type SearchGroup,
} from "./_columns_search.ts";
import type { ColumnSelection } from "./_cv_columns.ts";
import type { FitProgress } from "./_fit_public.ts";
import { LEVEL_HALF_WIDTH, medianOf } from "./_fit_params.ts";

/** The groups' runs for the searches, and per run its index in its group's post or Xen list. */
export interface MixedGroups {
  groups: SearchGroup[];
  /** Per group: its runs' positions, in order. */
  members: Int32Array[];
  /** Per position: its index in its group's post-copy list, or -1 - its index in the Xen list. */
  slot: Int32Array;
  /** The Xen model's options. */
  xen: ResolvedXenOptions;
}

/**
 * Splits each group's runs into post-copy constants and Xen inputs.
 *
 * @param columns The runs.
 * @param selection The selection, with its Xen flags.
 * @param xenRuns Per position, 1 for a Xen pre-copy run.
 * @param xen The Xen model's resolved options.
 */
export function mixedGroups(
  columns: RunColumns,
  selection: ColumnSelection,
  xenRuns: Uint8Array,
  xen: ResolvedXenOptions,
): MixedGroups {
  const { group, groupNames, positions, constant, link } = selection;
  const n = group.length;
  const lists = groupNames.map(() => [] as number[]);
  for (let p = 0; p < n; p++) lists[group[p]!]!.push(p);
  const slot = new Int32Array(n);
  const groups = lists.map((own) => {
    const post = own.filter((p) => xenRuns[p] === 0);
    const xens = own.filter((p) => xenRuns[p] === 1);
    post.forEach((p, j) => slot[p] = j);
    xens.forEach((p, j) => slot[p] = -1 - j);
    const at = (column: Float64Array) => Float64Array.from(xens, (p) => column[positions[p]!]!);
    return {
      postConstant: Float64Array.from(post, (p) => constant[p]!),
      memoryBytes: at(columns.memoryBytes),
      wssBytes: at(columns.wssBytes),
      dirtyPagesPerSecond: at(columns.dirtyPagesPerSecond),
      pageBytes: at(columns.pageBytes),
      link: Float64Array.from(xens, (p) => link[p]!),
      logMeasured: Float64Array.from(
        xens,
        (p) => Math.log(columns.migrationTimeSeconds[positions[p]!]!),
      ),
    };
  });
  return { groups, members: lists.map((own) => Int32Array.from(own)), slot, xen };
}

/**
 * Each group's crude centre: the median of ln(M / (T × link)) over its runs
 * where `use` (all without it), as layoutParams centres the first search.
 */
function centers(
  columns: RunColumns,
  selection: ColumnSelection,
  mixed: MixedGroups,
  use: ((p: number) => boolean) | null,
): Float64Array {
  const { positions, link } = selection;
  return Float64Array.from(mixed.members, (own) => {
    const crude: number[] = [];
    for (const p of own) {
      if (use !== null && !use(p)) continue;
      const i = positions[p]!;
      crude.push(Math.log(columns.memoryBytes[i]! / (columns.migrationTimeSeconds[i]! * link[p]!)));
    }
    return medianOf(Float64Array.from(crude));
  });
}

/** Weights 1 where `use` (all without it), else 0, split per group into post-copy and Xen. */
function unitWeights(mixed: MixedGroups, use: ((p: number) => boolean) | null): GroupWeights[] {
  return mixed.members.map((own, g) => {
    const group = mixed.groups[g]!;
    // Float64Array as the bootstrap's counts, so that the searches see one array type.
    const post = new Float64Array(group.postConstant.length);
    const xen = new Float64Array(group.memoryBytes.length);
    let xenPresent = false;
    for (const p of own) {
      if (use !== null && !use(p)) continue;
      const s = mixed.slot[p]!;
      if (s >= 0) post[s] = 1;
      else {
        xen[-1 - s] = 1;
        xenPresent = true;
      }
    }
    return { post, xen, xenPresent };
  });
}

/** The point fit: every group's full search from its crude centre. */
export function mixedPoint(
  columns: RunColumns,
  selection: ColumnSelection,
  mixed: MixedGroups,
  tolerance: number,
): { theta: Float64Array; converged: boolean } {
  const start = centers(columns, selection, mixed, null);
  const weights = unitWeights(mixed, null);
  return fullSearch(mixed.groups, weights, start, LEVEL_HALF_WIDTH, mixed.xen, tolerance);
}

/** A cross-validation fold's fit on its training runs (those not in fold `f`). */
export function mixedFoldTheta(
  columns: RunColumns,
  selection: ColumnSelection,
  mixed: MixedGroups,
  tolerance: number,
  foldOf: Int32Array,
  f: number,
): Float64Array {
  const use = (p: number) => foldOf[p] !== f;
  const start = centers(columns, selection, mixed, use);
  const weights = unitWeights(mixed, use);
  return fullSearch(mixed.groups, weights, start, LEVEL_HALF_WIDTH, mixed.xen, tolerance).theta;
}

/**
 * The bootstrap's parameters, one vector per resample: per stratum (a group,
 * in order of first appearance) as many draws as it has runs, counted per run
 * (bootstrapSamples' draws), then each group's search from the point estimate
 * (the solver's local cycles, the first cycle's scan shared by all resamples).
 */
export function mixedBootstrap(
  selection: ColumnSelection,
  mixed: MixedGroups,
  point: Float64Array,
  options: { resamples: number; seed: number; tolerance: number; maxIterations: number },
  onProgress: ((progress: FitProgress) => void) | undefined,
): Float64Array[] {
  const samples: Float64Array[] = [];
  if (options.resamples === 0) return samples;
  const { group } = selection;
  const order: number[] = [];
  const seen = new Uint8Array(mixed.groups.length);
  for (let p = 0; p < group.length; p++) {
    if (seen[group[p]!] === 0) order.push(group[p]!);
    seen[group[p]!] = 1;
  }
  const weights = mixed.groups.map((g) => ({
    post: new Float64Array(g.postConstant.length),
    xen: new Float64Array(g.memoryBytes.length),
    xenPresent: g.memoryBytes.length > 0,
  }));
  const counts = mixed.members.map((own) => new Int32Array(own.length));
  const caches: ScanCaches = mixed.groups.map(() => new Map());
  let state = options.seed >>> 0;
  for (let r = 0; r < options.resamples; r++) {
    for (const g of order) {
      const own = mixed.members[g]!;
      const count = counts[g]!;
      state = drawCounts(count, state);
      const { post, xen } = weights[g]!;
      for (let k = 0; k < own.length; k++) {
        const s = mixed.slot[own[k]!]!;
        if (s >= 0) post[s] = count[k]!;
        else xen[-1 - s] = count[k]!;
      }
    }
    samples.push(localCycles(mixed.groups, weights, point, mixed.xen, options, caches));
    onProgress?.({ stage: "bootstrap", done: r + 1, total: options.resamples });
  }
  return samples;
}

/**
 * As many draws with replacement as `count` has runs, counted per run: the
 * mulberry32 numbers of createRandom (inlined) from `state`, the same as
 * bootstrapSamples draws. Returns the generator's state after the draws.
 */
export function drawCounts(count: Uint8Array | Int32Array, from: number): number {
  const size = count.length;
  let state = from;
  count.fill(0);
  for (let j = 0; j < size; j++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    count[Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * size)]! += 1;
  }
  return state;
}
