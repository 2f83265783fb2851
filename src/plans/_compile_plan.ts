// Checks a plan once and turns it into typed arrays for the event loop, so
// that fitPlans can simulate it many times at different parameters.
import { checkNumber, checkObject, type NumberRule, showValue } from "../_validate.ts";
import { resolvePostcopyOptions } from "../models/kvm_postcopy.ts";
import { resolveKvmOptions } from "../models/kvm_precopy.ts";
import { resolveXenOptions } from "../models/xen_precopy.ts";
import { DEFAULT_PAGE_BYTES } from "../units.ts";
import { PLAN_METHODS, type RoundRules } from "./_round_rules.ts";
import { planLinkClass } from "./plan_link_class.ts";
import type { Plan, PlanParameters, SimulatePlanOptions } from "./types.ts";

/** A checked plan, ready for runPlan(). */
export interface CompiledPlan {
  ids: string[];
  startSeconds: Float64Array;
  /** Migration indices by start time. */
  order: Int32Array;
  /** Per migration: its source's uplink (2 * node) and destination's downlink (2 * node + 1). */
  up: Int32Array;
  down: Int32Array;
  rules: RoundRules[];
  /** Nominal capacity per link, bytes/s. */
  nominalBytesPerSecond: Float64Array;
  /** Per link: index into classes. */
  linkClass: Int32Array;
  /** The link classes present (planLinkClass keys). */
  classes: string[];
  /** Measured migration time per migration, NaN where not measured. */
  measuredSeconds: Float64Array;
}

/** Resolved parameters: a fraction per class of the compiled plan, and the overhead. */
export interface ResolvedParameters {
  fractions: Float64Array;
  overheadSeconds: number;
}

function resolveRules(where: string, options: SimulatePlanOptions): RoundRules[] {
  const record = checkObject(where, "options", options);
  const xenOptions = checkObject(where, 'option "xenPrecopy"', record.xenPrecopy ?? {});
  if ("includeStopAndCopy" in xenOptions) {
    throw new TypeError(
      `${where}: invalid option "xenPrecopy.includeStopAndCopy", expected nothing: a plan's migrations always include the stop-and-copy (got ${
        showValue(xenOptions.includeStopAndCopy)
      })`,
    );
  }
  const kvm = resolveKvmOptions(where, (record.kvmPrecopy ?? {}) as object);
  const xen = resolveXenOptions(where, xenOptions);
  const post = resolvePostcopyOptions(where, (record.kvmPostcopy ?? {}) as object);
  const base = {
    memoryBytes: 0,
    wssBytes: 0,
    dirtyBytesPerSecond: 0,
    downtimeLimitSeconds: kvm.downtimeLimitSeconds,
    timeoutSeconds: kvm.timeoutSeconds,
    maxIterations: 0,
    maxTransferFactor: xen.maxTransferFactor,
    minDirtyBytes: xen.minDirtyPages * DEFAULT_PAGE_BYTES,
    precopyPasses: post.precopyPasses,
  };
  return [
    { ...base, method: 0, maxIterations: kvm.maxIterations },
    { ...base, method: 1, maxIterations: xen.maxIterations },
    { ...base, method: 2, maxIterations: 1 },
  ];
}

function checkNodes(where: string, nodes: unknown): Map<string, number> {
  const record = checkObject(where, 'input "nodes"', nodes);
  const index = new Map<string, number>();
  for (const [name, node] of Object.entries(record)) {
    const field = `nodes.${name}`;
    const value = checkObject(where, `input "${field}"`, node);
    for (const key of ["uplinkBytesPerSecond", "downlinkBytesPerSecond"]) {
      checkNumber(where, "input", `${field}.${key}`, value[key], "positive", "bytes/s");
    }
    index.set(name, index.size);
  }
  return index;
}

/** Fills the links' nominal capacities and classes (2 links per node: up, down). */
function compileLinks(
  out: CompiledPlan,
  nodes: Plan["nodes"],
  nodeIndex: Map<string, number>,
): void {
  const classIndex = new Map<string, number>();
  for (const [name, i] of nodeIndex) {
    const node = nodes[name]!;
    const rates = [node.uplinkBytesPerSecond, node.downlinkBytesPerSecond];
    rates.forEach((bps, k) => {
      const key = planLinkClass(bps);
      if (!classIndex.has(key)) {
        classIndex.set(key, classIndex.size);
        out.classes.push(key);
      }
      out.nominalBytesPerSecond[2 * i + k] = bps;
      out.linkClass[2 * i + k] = classIndex.get(key)!;
    });
  }
}

/** Checks migration i and writes it into `out`. */
function compileMigration(
  where: string,
  out: CompiledPlan,
  value: unknown,
  i: number,
  nodeIndex: Map<string, number>,
  templates: RoundRules[],
  seen: Set<string>,
): void {
  const at = `migrations[${i}]`;
  const m = checkObject(where, `input "${at}"`, value);
  if (typeof m.id !== "string" || m.id === "" || seen.has(m.id)) {
    throw new (typeof m.id === "string" ? RangeError : TypeError)(
      `${where}: invalid input "${at}.id", expected a non-empty string unique in the plan (got ${
        showValue(m.id)
      })`,
    );
  }
  seen.add(m.id);
  const method = PLAN_METHODS.indexOf(m.method as string);
  if (method < 0) {
    throw new RangeError(
      `${where}: invalid input "${at}.method", expected one of ${
        PLAN_METHODS.map((x) => `"${x}"`).join(", ")
      } (got ${showValue(m.method)})`,
    );
  }
  const number = (field: string, rule: NumberRule, unit: string) =>
    checkNumber(where, "input", `${at}.${field}`, m[field], rule, unit);
  const memoryBytes = number("memoryBytes", "positive", "bytes");
  const wssBytes = number("wssBytes", "non-negative", "bytes");
  if (wssBytes > memoryBytes) {
    throw new RangeError(
      `${where}: invalid input "${at}.wssBytes", expected bytes <= memoryBytes (${memoryBytes}) (got ${wssBytes})`,
    );
  }
  const d = number("dirtyPagesPerSecond", "non-negative", "pages/s");
  const ends = ["source", "destination"].map((field) => {
    const name = m[field];
    const index = typeof name === "string" ? nodeIndex.get(name) : undefined;
    if (index === undefined) {
      throw new RangeError(
        `${where}: invalid input "${at}.${field}", expected a key of "nodes" (got ${
          showValue(name)
        })`,
      );
    }
    return index;
  });
  if (ends[0] === ends[1]) {
    throw new RangeError(
      `${where}: invalid input "${at}.destination", expected a node other than the source (got ${
        showValue(m.destination)
      })`,
    );
  }
  out.startSeconds[i] = number("startSeconds", "finite", "seconds");
  out.measuredSeconds[i] = m.migrationTimeSeconds === undefined
    ? NaN
    : number("migrationTimeSeconds", "positive", "seconds");
  out.ids.push(m.id);
  out.up[i] = 2 * ends[0]!;
  out.down[i] = 2 * ends[1]! + 1;
  out.rules.push({
    ...templates[method]!,
    memoryBytes,
    wssBytes,
    dirtyBytesPerSecond: d * DEFAULT_PAGE_BYTES,
  });
}

/**
 * Checks a plan and its options and compiles it.
 *
 * @param where The public function's name.
 * @param plan The plan.
 * @param options The models' options.
 */
export function compilePlan(where: string, plan: Plan, options: SimulatePlanOptions): CompiledPlan {
  const record = checkObject(where, "input", plan);
  const nodeIndex = checkNodes(where, record.nodes);
  if (!Array.isArray(record.migrations)) {
    throw new TypeError(
      `${where}: invalid input "migrations", expected an array (got ${
        showValue(record.migrations)
      })`,
    );
  }
  const templates = resolveRules(where, options);
  const migrations = record.migrations as unknown[];
  const n = migrations.length;
  const out: CompiledPlan = {
    ids: [],
    startSeconds: new Float64Array(n),
    order: new Int32Array(n),
    up: new Int32Array(n),
    down: new Int32Array(n),
    rules: [],
    nominalBytesPerSecond: new Float64Array(2 * nodeIndex.size),
    linkClass: new Int32Array(2 * nodeIndex.size),
    classes: [],
    measuredSeconds: new Float64Array(n),
  };
  compileLinks(out, record.nodes as Plan["nodes"], nodeIndex);
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) {
    compileMigration(where, out, migrations[i], i, nodeIndex, templates, seen);
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) =>
    out.startSeconds[a]! - out.startSeconds[b]! || a - b
  );
  out.order.set(order);
  return out;
}

/**
 * Checks parameters against a compiled plan's link classes.
 *
 * @param where The public function's name.
 * @param classes The plan's link classes.
 * @param parameters The parameters.
 */
export function resolveParameters(
  where: string,
  classes: readonly string[],
  parameters: PlanParameters,
): ResolvedParameters {
  const record = checkObject(where, "parameters", parameters);
  const fractions = new Float64Array(classes.length).fill(1);
  if (record.linkFractions !== undefined) {
    const given = checkObject(where, 'parameter "linkFractions"', record.linkFractions);
    classes.forEach((key, i) => {
      const entry = given[key];
      if (entry === undefined) {
        throw new RangeError(
          `${where}: invalid parameter "linkFractions", expected a fraction for link class "${key}" (got classes ${
            showValue(Object.keys(given))
          })`,
        );
      }
      const value = checkObject(where, `parameter "linkFractions.${key}"`, entry).value;
      fractions[i] = checkNumber(where, "input", `linkFractions.${key}.value`, value, "positive");
    });
  }
  let overheadSeconds = 0;
  if (record.overheadSeconds !== undefined) {
    const value = checkObject(where, 'parameter "overheadSeconds"', record.overheadSeconds).value;
    overheadSeconds = checkNumber(
      where,
      "input",
      "overheadSeconds.value",
      value,
      "non-negative",
      "seconds",
    );
  }
  return { fractions, overheadSeconds };
}
