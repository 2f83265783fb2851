/**
 * Seeded synthetic migration runs generated from the models, for tests,
 * examples and figures until measured data exist. Every row is marked
 * `extra.source = "synthetic"`.
 *
 * @module
 */

import { checkNumber, checkObject, showValue } from "../_validate.ts";
import type { MigrationRun } from "../data/types.ts";
import { paperTimeSeconds, sweep } from "../models/sweep.ts";
import { DEFAULT_PAGE_BYTES, gibToBytes, mibToBytes } from "../units.ts";
import { METHOD_MODELS, resolveModelOptions, sweepModelOf } from "./_evaluate.ts";
import { createRandom, normal, type Random } from "../_random.ts";
import type { FitModelOptions } from "./types.ts";

/** Options for {@linkcode synthesizeRuns}; the defaults are the paper's experiment grid. */
export interface SynthesizeRunsOptions {
  /**
   * Seed of the noise generator: the same seed gives the same runs.
   *
   * @default {1}
   */
  seed?: number;
  /**
   * M, bytes.
   *
   * @default {1.5 GiB}
   */
  memoryBytes?: number;
  /**
   * Working-set sizes W, bytes (the paper's 0/64/128/256/512/1024 MiB and full).
   *
   * @default {[0, 64 MiB, 128 MiB, 256 MiB, 512 MiB, 1024 MiB, memoryBytes]}
   */
  wssBytes?: number[];
  /**
   * Dirty rates d, pages/s.
   *
   * @default {[1024, 5120, 15360, 51200]}
   */
  dirtyPagesPerSecond?: number[];
  /**
   * p, bytes.
   *
   * @default {4096}
   */
  pageBytes?: number;
  /**
   * Methods, each a method `predictRuns` knows.
   *
   * @default {["xen-precopy", "kvm-precopy", "kvm-postcopy"]}
   */
  methods?: string[];
  /**
   * The true baseline bandwidth B (bytes/s) of the `"none"` group. The default,
   * 900 Mbit/s, is an assumption (a Gigabit link less protocol overhead).
   *
   * @default {112.5e6}
   */
  bandwidthBytesPerSecond?: number;
  /**
   * The true factor per contention group, B_group = B × factor; the keys are
   * the groups generated. The defaults are assumptions loosely read from the
   * paper (section 5: Xen pre-copy keeps 800-1000 Mbps under CPU load and
   * about 300 Mbps under network load).
   *
   * @default {{ none: 1, cpu: 0.95, network: 0.35, memory: 0.85 }}
   */
  factors?: Record<string, number>;
  /**
   * Coefficient c of the post-copy workload term: a KVM post-copy run's
   * bandwidth is multiplied by 1 + c·W/M.
   *
   * @default {0}
   */
  postcopyWorkloadCoefficient?: number;
  /**
   * Standard deviation of the multiplicative log-normal noise on each time
   * (0.05 is about 5 %).
   *
   * @default {0.05}
   */
  noise?: number;
  /**
   * Repeats per configuration.
   *
   * @default {5}
   */
  repeats?: number;
  /**
   * When given, every row carries this link bandwidth (bytes/s), so a fit
   * works on the efficiency scale; B stays `bandwidthBytesPerSecond`.
   *
   * @default {undefined}
   */
  linkBandwidthBytesPerSecond?: number;
  /**
   * Options of the models that generate the times.
   *
   * @default {{}}
   */
  modelOptions?: FitModelOptions;
}

/**
 * Builds a seeded synthetic dataset from the models with a known bandwidth,
 * known contention factors and log-normal noise: one run per method ×
 * contention × W × d × repeat. Runs are SYNTHETIC, not measurements: each
 * carries `extra.source = "synthetic"` and `extra.seed`.
 *
 * A KVM pre-copy configuration the model says never converges gets status
 * `"non-convergent"` (as a real run cancelled at the timeout), so fits leave
 * it out; every other run is `"completed"`. With the defaults this is the
 * paper's grid: 7 × 4 × 4 × 3 × 5 = 1680 runs.
 *
 * Cost: O(n·N) for n runs and N rounds each.
 *
 * @param options The grid, the true parameters and the noise.
 * @returns The runs, in the order method, contention, W, d, repeat.
 * @throws {TypeError} If an option has the wrong type.
 * @throws {RangeError} If an option is out of range (W > M, an unknown method, a factor <= 0).
 *
 * @example The paper's grid
 * ```ts
 * import { synthesizeRuns } from "./synthetic.ts";
 * import assert from "node:assert/strict";
 * const runs = synthesizeRuns({ seed: 7 });
 * assert.equal(runs.length, 1680);
 * assert.ok(runs.every((run) => run.extra.source === "synthetic"));
 * assert.deepEqual(synthesizeRuns({ seed: 7 }), runs);
 * ```
 */
export function synthesizeRuns(options: SynthesizeRunsOptions = {}): MigrationRun[] {
  const resolved = resolveSynthesizeOptions(options);
  const random = createRandom(resolved.seed);
  return resolved.methods.flatMap((method) => synthesizeMethod(method, resolved, random));
}

/** The runs of one method over the grid, in the order contention, W, d, repeat. */
function synthesizeMethod(
  method: string,
  options: ResolvedSynthesizeOptions,
  random: Random,
): MigrationRun[] {
  const { memoryBytes, pageBytes, factors, noise, seed, linkBandwidthBytesPerSecond } = options;
  const model = sweepModelOf(method)!;
  const rows: { contention: string; w: number; d: number; run: number; b: number }[] = [];
  for (const contention of Object.keys(factors)) {
    for (const w of options.wssBytes) {
      for (const d of options.dirtyPagesPerSecond) {
        for (let run = 1; run <= options.repeats; run++) {
          const extra = model === "kvm-postcopy"
            ? 1 + options.postcopyWorkloadCoefficient * (w / memoryBytes)
            : 1;
          rows.push({
            contention,
            w,
            d,
            run,
            b: options.bandwidthBytesPerSecond * factors[contention]! * extra,
          });
        }
      }
    }
  }
  const resolved = options.modelOptions;
  const result = sweep(model, {
    memoryBytes,
    wssBytes: rows.map((r) => r.w),
    dirtyPagesPerSecond: rows.map((r) => r.d),
    bandwidthBytesPerSecond: rows.map((r) => r.b),
    pageBytes,
  }, {
    ...(model === "xen-precopy" || model === "qemu-xen-rules"
      ? resolved.xenPrecopy
      : model === "kvm-precopy"
      ? resolved.kvmPrecopy
      : resolved.kvmPostcopy),
    layout: "columns",
    includeInputs: false,
  });
  return rows.map((row, i) => {
    const converged = model !== "kvm-precopy" || result.stopCode[i] === 0;
    const scale = Math.exp(noise * normal(random));
    const migration: MigrationRun = {
      method,
      contention: row.contention,
      memoryBytes,
      wssBytes: row.w,
      dirtyPagesPerSecond: row.d,
      pageBytes,
      migrationTimeSeconds: paperTimeSeconds(result)[i]! * scale,
      downtimeSeconds: result.downtimeSeconds[i]! * scale,
      transferredBytes: result.transferredBytes[i]!,
      iterations: result.iterations[i]!,
      status: converged ? "completed" : "non-convergent",
      run: row.run,
      extra: { source: "synthetic", seed },
    };
    if (linkBandwidthBytesPerSecond !== undefined) {
      migration.linkBandwidthBytesPerSecond = linkBandwidthBytesPerSecond;
    }
    return migration;
  });
}

/** The options of {@linkcode synthesizeRuns}, checked, with the defaults filled in. */
type ResolvedSynthesizeOptions =
  & Required<Omit<SynthesizeRunsOptions, "linkBandwidthBytesPerSecond">>
  & { linkBandwidthBytesPerSecond: number | undefined };

function resolveSynthesizeOptions(options: SynthesizeRunsOptions): ResolvedSynthesizeOptions {
  const where = "synthesizeRuns";
  const record = checkObject(where, "options", options) as SynthesizeRunsOptions;
  const memoryBytes = checkNumber(
    where,
    "option",
    "memoryBytes",
    record.memoryBytes ?? gibToBytes(1.5),
    "positive",
    "bytes",
  );
  const {
    seed = 1,
    wssBytes = [0, 64, 128, 256, 512, 1024].map(mibToBytes).concat(memoryBytes),
    dirtyPagesPerSecond = [1024, 5120, 15360, 51200],
    pageBytes = DEFAULT_PAGE_BYTES,
    methods = ["xen-precopy", "kvm-precopy", "kvm-postcopy"],
    bandwidthBytesPerSecond = 112.5e6,
    factors = { none: 1, cpu: 0.95, network: 0.35, memory: 0.85 },
    postcopyWorkloadCoefficient = 0,
    noise = 0.05,
    repeats = 5,
    linkBandwidthBytesPerSecond,
    modelOptions = {},
  } = record;
  checkNumber(where, "option", "seed", seed, "integer>=0");
  checkList(where, "wssBytes", wssBytes, "non-negative", "bytes");
  checkList(where, "dirtyPagesPerSecond", dirtyPagesPerSecond, "non-negative", "pages/s");
  checkNumber(where, "option", "pageBytes", pageBytes, "integer>=1", "bytes");
  checkNumber(
    where,
    "option",
    "bandwidthBytesPerSecond",
    bandwidthBytesPerSecond,
    "positive",
    "bytes/s",
  );
  checkNumber(where, "option", "noise", noise, "non-negative");
  checkNumber(where, "option", "repeats", repeats, "integer>=1");
  checkNumber(
    where,
    "option",
    "postcopyWorkloadCoefficient",
    postcopyWorkloadCoefficient,
    "finite",
  );
  if (postcopyWorkloadCoefficient <= -1) {
    throw new RangeError(
      `${where}: invalid option "postcopyWorkloadCoefficient", expected a finite number > -1 (got ${postcopyWorkloadCoefficient})`,
    );
  }
  if (linkBandwidthBytesPerSecond !== undefined) {
    checkNumber(
      where,
      "option",
      "linkBandwidthBytesPerSecond",
      linkBandwidthBytesPerSecond,
      "positive",
      "bytes/s",
    );
  }
  for (const w of wssBytes) {
    if (w > memoryBytes) {
      throw new RangeError(
        `${where}: invalid option "wssBytes", expected bytes <= memoryBytes (${memoryBytes}) (got ${w})`,
      );
    }
  }
  if (!Array.isArray(methods) || methods.length === 0) {
    throw new TypeError(
      `${where}: invalid option "methods", expected a non-empty array of method names (got ${
        showValue(methods)
      })`,
    );
  }
  for (const method of methods) {
    if (METHOD_MODELS[method] === undefined) {
      throw new RangeError(
        `${where}: invalid option "methods", expected names among ${
          Object.keys(METHOD_MODELS).map((m) => `"${m}"`).join(", ")
        } (got ${showValue(method)})`,
      );
    }
  }
  checkObject(where, 'option "factors"', factors);
  const groups = Object.keys(factors);
  if (groups.length === 0) {
    throw new RangeError(`${where}: invalid option "factors", expected at least 1 group (got {})`);
  }
  for (const g of groups) checkNumber(where, "option", `factors.${g}`, factors[g], "positive");
  return {
    seed,
    memoryBytes,
    wssBytes,
    dirtyPagesPerSecond,
    pageBytes,
    methods,
    bandwidthBytesPerSecond,
    factors,
    postcopyWorkloadCoefficient,
    noise,
    repeats,
    linkBandwidthBytesPerSecond,
    modelOptions: resolveModelOptions(where, modelOptions),
  };
}

function checkList(
  where: string,
  name: string,
  values: unknown,
  rule: "non-negative",
  unit: string,
): void {
  if (!Array.isArray(values) || values.length === 0) {
    throw new TypeError(
      `${where}: invalid option "${name}", expected a non-empty array of numbers (got ${
        showValue(values)
      })`,
    );
  }
  values.forEach((v, i) => checkNumber(where, "option", `${name}[${i}]`, v, rule, unit));
}
