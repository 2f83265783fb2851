/**
 * The error the collector throws when the host or the output folder cannot
 * run a collection.
 *
 * @module
 */

/**
 * A host or output folder that cannot run the collection: not root, a tool
 * missing, QEMU too old, the output folder not writable or holding another
 * setup. A user's problem, not a bug: `deno task collect` prints its one line and
 * exits with 2.
 *
 * @example Telling a host's problem from a bug
 * ```ts
 * import { CollectSetupError } from "./collect_setup_error.ts";
 * import assert from "node:assert/strict";
 *
 * const error = new CollectSetupError(
 *   "collect: cannot run on this host: not root (uid 1000; the network namespaces and tc need it: run it with sudo)",
 * );
 * assert.ok(error instanceof Error);
 * assert.equal(error.name, "CollectSetupError");
 * assert.match(error.message, /^collect: cannot run on this host: not root/);
 * ```
 */
export class CollectSetupError extends Error {
  /**
   * Makes the error.
   *
   * @param message The whole message, one line, naming what is missing and how to get it.
   * @param options The cause, if any.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "CollectSetupError";
  }
}
