/**
 * Loads plan tables from files.
 *
 * @module
 */

import { parsePlans, type ParsePlansOptions } from "./parse_plans.ts";
import type { LoadedPlan } from "./types.ts";

/** Options for {@linkcode loadPlans}. */
export interface LoadPlansOptions {
  /**
   * The node table.
   *
   * @default {"nodes.csv" beside the migrations table}
   */
  nodesPath?: string | URL;
  /**
   * Most problems listed in a DatasetError.
   *
   * @default {20}
   */
  maxProblems?: number;
}

/**
 * Reads a migrations table and its node table (CSV files) into plans; see
 * {@linkcode parsePlans} for the format, which data/README.md documents.
 *
 * @param migrationsPath The migrations table.
 * @param options Where the node table is, and how many problems to list.
 * @returns The plans, in the order they first appear.
 * @throws {DatasetError} Listing every problem with file, line, column, value and expected unit.
 * @throws {Deno.errors.NotFound} If a file is missing.
 *
 * @example The Grid'5000 plans
 * ```ts
 * import { loadPlans } from "./load_plans.ts";
 * import assert from "node:assert/strict";
 * const plans = await loadPlans(new URL("../../data/g5k-plans/migrations.csv", import.meta.url));
 * assert.equal(plans.length, 100);
 * assert.equal(plans[0]!.migrations.length, 10);
 * ```
 */
export async function loadPlans(
  migrationsPath: string | URL,
  options: LoadPlansOptions = {},
): Promise<LoadedPlan[]> {
  const nodesPath = options.nodesPath ?? new URL("nodes.csv", toUrl(migrationsPath));
  const parseOptions: ParsePlansOptions = {
    migrationsFile: fileName(migrationsPath),
    nodesFile: fileName(nodesPath),
  };
  if (options.maxProblems !== undefined) parseOptions.maxProblems = options.maxProblems;
  const [migrations, nodes] = await Promise.all([
    Deno.readTextFile(migrationsPath),
    Deno.readTextFile(nodesPath),
  ]);
  return parsePlans(migrations, nodes, parseOptions);
}

function toUrl(path: string | URL): URL {
  if (path instanceof URL) return path;
  const absolute = path.startsWith("/") ? path : `${Deno.cwd()}/${path}`;
  return new URL(`file://${absolute}`);
}

function fileName(path: string | URL): string {
  return path instanceof URL ? decodeURIComponent(path.pathname) : path;
}
