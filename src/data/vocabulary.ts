/**
 * The method and contention vocabulary, written once: each method's label and
 * the model that estimates it, the contention scenarios of the paper's Table
 * 2 in their order, and the post-copy switch settings. The run schema, the
 * fits and the figure styles read them from here.
 *
 * @module
 */

import type { KnownContention, KnownMethod } from "./types.ts";

/** What a migration method is and which model estimates it. */
export interface MethodTerm {
  /** The label in a dataset's `method` column. */
  name: KnownMethod;
  /** The name in figures and tables. */
  label: string;
  /** The model that estimates its time. */
  model: "xen-precopy" | "kvm-precopy" | "kvm-postcopy";
  /** Whether the paper compares it (the collector's `xen-precopy-policy` is not the paper's). */
  paper: boolean;
}

/**
 * The migration methods, in the order of figures and tables: the paper's
 * three, and the collector's QEMU pre-copy stopped by the Xen rule.
 *
 * @example Names, labels and models
 * ```ts
 * import { METHODS } from "./vocabulary.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(METHODS.filter((m) => m.paper).map((m) => m.name), [
 *   "xen-precopy",
 *   "kvm-precopy",
 *   "kvm-postcopy",
 * ]);
 * const policy = METHODS.find((m) => m.name === "xen-precopy-policy");
 * assert.equal(policy?.model, "xen-precopy");
 * assert.equal(policy?.label, "Xen-rule pre-copy (QEMU)");
 * ```
 */
export const METHODS: readonly MethodTerm[] = [
  { name: "xen-precopy", label: "Xen pre-copy", model: "xen-precopy", paper: true },
  {
    name: "xen-precopy-policy",
    label: "Xen-rule pre-copy (QEMU)",
    model: "xen-precopy",
    paper: false,
  },
  { name: "kvm-precopy", label: "KVM pre-copy", model: "kvm-precopy", paper: true },
  { name: "kvm-postcopy", label: "KVM post-copy", model: "kvm-postcopy", paper: true },
];

/** One contention scenario of the paper's Table 2. */
export interface ContentionTerm {
  /** The label in a dataset's `contention` column. */
  name: KnownContention;
  /** The name in figures and tables. */
  label: string;
}

/**
 * The contention scenarios, in the paper's order.
 *
 * @example The paper's order
 * ```ts
 * import { CONTENTIONS } from "./vocabulary.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(CONTENTIONS.map((c) => c.name), ["none", "cpu", "network", "memory"]);
 * ```
 */
export const CONTENTIONS: readonly ContentionTerm[] = [
  { name: "none", label: "no contention" },
  { name: "cpu", label: "CPU" },
  { name: "network", label: "network" },
  { name: "memory", label: "memory" },
];

/**
 * How the collector switches a `kvm-postcopy` run to post-copy
 * (`postcopy_switch`): after the first pre-copy pass, or at once.
 *
 * @example The known switches
 * ```ts
 * import { POSTCOPY_SWITCHES } from "./vocabulary.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(POSTCOPY_SWITCHES, ["after-first-pass", "immediate"]);
 * ```
 */
export const POSTCOPY_SWITCHES: readonly string[] = ["after-first-pass", "immediate"];

/**
 * The run statuses the collector writes and the loader knows: `completed`
 * (the time is the migration's), `non-convergent` (a pre-copy cancelled at
 * its timeout), `failed` (the migration did not finish) and `corrupt` (it
 * finished but the guest's memory did not verify). Runs of any status are
 * kept, and those not `completed` are listed in `notCompleted` (the fits
 * leave them out); a status outside this list is kept too, with a warning.
 *
 * @example The known statuses
 * ```ts
 * import { RUN_STATUSES } from "./vocabulary.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(RUN_STATUSES, ["completed", "non-convergent", "failed", "corrupt"]);
 * ```
 */
export const RUN_STATUSES: readonly string[] = ["completed", "non-convergent", "failed", "corrupt"];

/**
 * The figure and table name of a method: `Xen pre-copy` for `xen-precopy`;
 * another label unchanged.
 *
 * @param method A method label.
 * @returns Its name.
 *
 * @example Known and other methods
 * ```ts
 * import { methodLabel } from "./vocabulary.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(methodLabel("kvm-postcopy"), "KVM post-copy");
 * assert.equal(methodLabel("qemu-multifd"), "qemu-multifd");
 * ```
 */
export function methodLabel(method: string): string {
  return METHODS.find((m) => m.name === method)?.label ?? method;
}
