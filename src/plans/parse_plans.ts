/**
 * Parses plan tables: a migrations table and a node table (CSV).
 *
 * @module
 */

import { DatasetError } from "../data/dataset_error.ts";
import { addProblem, type CsvRecord, type ProblemList, readCsv } from "./_plan_csv.ts";
import { PLAN_METHODS } from "./_round_rules.ts";
import type { LoadedPlan, PlanMigration, PlanNode } from "./types.ts";

/** Options for {@linkcode parsePlans}. */
export interface ParsePlansOptions {
  /**
   * The migrations table's name, for messages.
   *
   * @default {"migrations.csv"}
   */
  migrationsFile?: string;
  /**
   * The node table's name, for messages.
   *
   * @default {"nodes.csv"}
   */
  nodesFile?: string;
  /**
   * Most problems listed in a DatasetError (all are counted).
   *
   * @default {20}
   */
  maxProblems?: number;
}

const NODE_COLUMNS = ["node", "uplink_bytes_per_second", "downlink_bytes_per_second"] as const;
const NUMBER_COLUMNS = {
  memory_bytes: ["memoryBytes", "bytes > 0", (x: number) => x > 0],
  wss_bytes: ["wssBytes", "bytes >= 0", (x: number) => x >= 0],
  dirty_pages_per_second: ["dirtyPagesPerSecond", "pages/s >= 0", (x: number) => x >= 0],
  start_seconds: ["startSeconds", "seconds (a finite number)", () => true],
  migration_time_seconds: [
    "migrationTimeSeconds",
    "seconds > 0 or an empty cell",
    (x: number) => x > 0,
  ],
} as const;
const TEXT_COLUMNS = ["plan", "id", "method", "source", "destination"] as const;
const REQUIRED = [...TEXT_COLUMNS, ...Object.keys(NUMBER_COLUMNS)].filter((c) =>
  c !== "migration_time_seconds"
);

function header(
  records: CsvRecord[],
  required: readonly string[],
  problems: ProblemList,
): Map<string, number> | null {
  const first = records[0];
  if (first === undefined) {
    addProblem(problems, { line: 1 }, "the file is empty", `a header with ${required.join(", ")}`);
    return null;
  }
  const index = new Map(first.values.map((name, i) => [name.trim(), i]));
  for (const name of required) {
    if (!index.has(name)) {
      addProblem(
        problems,
        { line: first.line, column: 1 },
        `no column "${name}"`,
        `a header with ${required.join(", ")}`,
      );
    }
  }
  return problems.count > 0 ? null : index;
}

function cell(record: CsvRecord, index: Map<string, number>, name: string) {
  const i = index.get(name);
  const value = i === undefined ? "" : (record.values[i] ?? "").trim();
  return {
    value,
    place: { line: record.line, column: record.columns[i ?? 0], field: name, value },
  };
}

function number(
  record: CsvRecord,
  index: Map<string, number>,
  name: string,
  expected: string,
  ok: (x: number) => boolean,
  problems: ProblemList,
): number {
  const { value, place } = cell(record, index, name);
  const x = value === "" ? NaN : Number(value);
  if (!Number.isFinite(x) || !ok(x)) {
    addProblem(problems, place, `${JSON.stringify(value)} is not valid`, expected);
  }
  return x;
}

function parseNodes(text: string, problems: ProblemList): Record<string, PlanNode> {
  const records = readCsv(text);
  const index = header(records, NODE_COLUMNS, problems);
  const nodes: Record<string, PlanNode> = {};
  if (index === null) return nodes;
  for (const record of records.slice(1)) {
    const { value: name, place } = cell(record, index, "node");
    if (name === "" || name in nodes) {
      addProblem(
        problems,
        place,
        `node ${JSON.stringify(name)} is empty or repeated`,
        "a unique node name",
      );
    }
    const rate = (column: string) =>
      number(record, index, column, "bytes/s > 0", (x) => x > 0, problems);
    nodes[name] = {
      uplinkBytesPerSecond: rate("uplink_bytes_per_second"),
      downlinkBytesPerSecond: rate("downlink_bytes_per_second"),
    };
  }
  return nodes;
}

function parseMigration(
  record: CsvRecord,
  index: Map<string, number>,
  nodes: Record<string, PlanNode>,
  problems: ProblemList,
): { plan: string; migration: PlanMigration & { extra: Record<string, string> } } {
  const text = Object.fromEntries(TEXT_COLUMNS.map((name) => [name, cell(record, index, name)]));
  for (const name of TEXT_COLUMNS) {
    if (text[name]!.value === "") {
      addProblem(problems, text[name]!.place, "the cell is empty", "a name");
    }
  }
  if (!PLAN_METHODS.includes(text.method!.value)) {
    addProblem(
      problems,
      text.method!.place,
      `${JSON.stringify(text.method!.value)} is not a method`,
      PLAN_METHODS.join(", "),
    );
  }
  for (const name of ["source", "destination"]) {
    if (text[name]!.value !== "" && !(text[name]!.value in nodes)) {
      addProblem(
        problems,
        text[name]!.place,
        `${JSON.stringify(text[name]!.value)} is not in the node table`,
        "a node of the node table",
      );
    }
  }
  if (text.source!.value === text.destination!.value && text.source!.value !== "") {
    addProblem(problems, text.destination!.place, "the destination is the source", "another node");
  }
  const values: Record<string, number> = {};
  for (const [column, [field, expected, ok]] of Object.entries(NUMBER_COLUMNS)) {
    if (column === "migration_time_seconds" && cell(record, index, column).value === "") continue;
    values[field] = number(record, index, column, expected, ok, problems);
  }
  if (values.memoryBytes! > 0 && values.wssBytes! > values.memoryBytes!) {
    addProblem(
      problems,
      cell(record, index, "wss_bytes").place,
      "W is larger than M",
      `bytes <= memory_bytes (${values.memoryBytes})`,
    );
  }
  const extra: Record<string, string> = {};
  for (const [name, i] of index) {
    if (!(name in NUMBER_COLUMNS) && !(TEXT_COLUMNS as readonly string[]).includes(name)) {
      extra[name] = (record.values[i] ?? "").trim();
    }
  }
  const migration = {
    id: text.id!.value,
    method: text.method!.value,
    memoryBytes: values.memoryBytes!,
    wssBytes: values.wssBytes!,
    dirtyPagesPerSecond: values.dirtyPagesPerSecond!,
    source: text.source!.value,
    destination: text.destination!.value,
    startSeconds: values.startSeconds!,
    ...(values.migrationTimeSeconds === undefined
      ? {}
      : { migrationTimeSeconds: values.migrationTimeSeconds }),
    extra,
  };
  return { plan: text.plan!.value, migration };
}

/**
 * Parses plans from a migrations table and a node table (CSV text), the
 * format of `data/g5k-plans/` (documented in data/README.md). Each row of
 * the migrations table is one migration of the plan its `plan` column
 * names; every plan gets every node of the node table. Columns other than
 * the documented ones are kept, as text, in each migration's `extra`. An
 * empty `migration_time_seconds` means "not measured".
 *
 * Cost: O(rows).
 *
 * @param migrationsText The migrations table.
 * @param nodesText The node table.
 * @param options File names for messages, and how many problems to list.
 * @returns The plans, in the order they first appear.
 * @throws {DatasetError} Listing every problem (file, line, column, field, value, expected unit).
 *
 * @example Two migrations of one plan
 * ```ts
 * import { parsePlans } from "./parse_plans.ts";
 * import assert from "node:assert/strict";
 * const nodes = "node,uplink_bytes_per_second,downlink_bytes_per_second\na,1e8,1e8\nb,1e8,1e8\n";
 * const migrations = "plan,id,method,memory_bytes,wss_bytes,dirty_pages_per_second,source,destination,start_seconds,migration_time_seconds\n" +
 *   "p1,vm1,kvm-precopy,2e9,9.6e7,488.28125,a,b,0,21\n" +
 *   "p1,vm2,kvm-precopy,2e9,9.6e7,488.28125,b,a,5,\n";
 * const [plan] = parsePlans(migrations, nodes);
 * assert.equal(plan!.name, "p1");
 * assert.equal(plan!.migrations[0]!.migrationTimeSeconds, 21);
 * assert.equal(plan!.migrations[1]!.migrationTimeSeconds, undefined);
 * assert.equal(plan!.nodes.a!.uplinkBytesPerSecond, 1e8);
 * ```
 */
export function parsePlans(
  migrationsText: string,
  nodesText: string,
  options: ParsePlansOptions = {},
): LoadedPlan[] {
  const { migrationsFile = "migrations.csv", nodesFile = "nodes.csv", maxProblems = 20 } = options;
  const nodeProblems: ProblemList = { file: nodesFile, limit: maxProblems, list: [], count: 0 };
  const nodes = parseNodes(nodesText, nodeProblems);
  if (nodeProblems.count > 0) {
    throw new DatasetError(nodesFile, nodeProblems.list, nodeProblems.count);
  }
  const problems: ProblemList = { file: migrationsFile, limit: maxProblems, list: [], count: 0 };
  const records = readCsv(migrationsText);
  const index = header(records, REQUIRED, problems);
  const plans = new Map<string, LoadedPlan>();
  const ids = new Set<string>();
  for (const record of index === null ? [] : records.slice(1)) {
    const { plan, migration } = parseMigration(record, index!, nodes, problems);
    const key = JSON.stringify([plan, migration.id]);
    if (ids.has(key)) {
      addProblem(
        problems,
        cell(record, index!, "id").place,
        `id ${JSON.stringify(migration.id)} repeats in plan ${JSON.stringify(plan)}`,
        "an id unique within its plan",
      );
    }
    ids.add(key);
    if (!plans.has(plan)) plans.set(plan, { name: plan, nodes, migrations: [] });
    plans.get(plan)!.migrations.push(migration);
  }
  if (problems.count > 0) throw new DatasetError(migrationsFile, problems.list, problems.count);
  return [...plans.values()];
}
