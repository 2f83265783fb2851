/**
 * A Gantt chart of a plan: each migration's measured and simulated span.
 *
 * @module
 */

import * as Plot from "../_deps/plot.ts";
import { checkNumber, checkObject, showValue } from "../_validate.ts";
import type { Plan, PlanParameters, PlanResult } from "../plans/types.ts";
import { markTitle, sourceSentence } from "./_style.ts";
import type { DataSource, FigureSpec } from "./types.ts";

/** Options for {@linkcode figurePlanGanttSpec}. */
export interface FigurePlanGanttOptions {
  /** Where the plan came from (measured, or synthetic: the title then says so). */
  source: DataSource;
  /**
   * The parameters the simulation used, for the caption.
   *
   * @default {undefined (the caption says nominal links, no overhead)}
   */
  parameters?: PlanParameters;
  /**
   * The plan's name, for the title.
   *
   * @default {"plan"}
   */
  planName?: string;
  /**
   * The figure's width, CSS pixels.
   *
   * @default {900}
   */
  widthPixels?: number;
}

/** One row of the chart. */
export interface GanttRow {
  /** The migration's id. */
  id: string;
  /** The row's label: id and source -> destination. */
  label: string;
  /** Start, seconds since the plan's first start. */
  startSeconds: number;
  /** Measured end, seconds since the first start; undefined when not measured. */
  measuredEndSeconds?: number;
  /** Simulated end, seconds since the first start. */
  simulatedEndSeconds: number;
  /** measured - simulated migration time, seconds; undefined when not measured. */
  errorSeconds?: number;
  /** (measured - simulated) / measured × 100; undefined when not measured. */
  errorPercent?: number;
}

const MEASURED_COLOR = "#0072B2";
const SIMULATED_COLOR = "#E69F00";

function checkInputs(where: string, plan: Plan, simulated: PlanResult): void {
  checkObject(where, 'input "plan"', plan);
  checkObject(where, 'input "simulated"', simulated);
  if (!Array.isArray(plan.migrations) || !Array.isArray(simulated.migrations)) {
    throw new TypeError(
      `${where}: invalid input "migrations", expected arrays in plan and simulated (got ${
        showValue(typeof plan.migrations)
      } and ${showValue(typeof simulated.migrations)})`,
    );
  }
  if (plan.migrations.length === 0 || plan.migrations.length !== simulated.migrations.length) {
    throw new RangeError(
      `${where}: invalid input "simulated.migrations", expected ${plan.migrations.length} migrations (one per plan migration, at least 1) (got ${simulated.migrations.length})`,
    );
  }
  plan.migrations.forEach((m, i) => {
    if (simulated.migrations[i]!.id !== m.id) {
      throw new RangeError(
        `${where}: invalid input "simulated.migrations[${i}].id", expected "${m.id}" (the plan's order) (got ${
          showValue(simulated.migrations[i]!.id)
        })`,
      );
    }
  });
}

/** The rows, ordered by start (then id), times relative to the first start. */
function ganttRows(plan: Plan, simulated: PlanResult): GanttRow[] {
  const origin = Math.min(...plan.migrations.map((m) => m.startSeconds));
  const rows = plan.migrations.map((m, i): GanttRow => {
    const sim = simulated.migrations[i]!;
    const row: GanttRow = {
      id: m.id,
      label: `${m.id} (${m.source} → ${m.destination})`,
      startSeconds: m.startSeconds - origin,
      simulatedEndSeconds: sim.endSeconds - origin,
    };
    if (m.migrationTimeSeconds !== undefined) {
      row.measuredEndSeconds = m.startSeconds + m.migrationTimeSeconds - origin;
      row.errorSeconds = m.migrationTimeSeconds - sim.migrationTimeSeconds;
      row.errorPercent = (row.errorSeconds / m.migrationTimeSeconds) * 100;
    }
    return row;
  });
  return rows.sort((a, b) => a.startSeconds - b.startSeconds || (a.id < b.id ? -1 : 1));
}

function parameterSentence(parameters: PlanParameters | undefined): string {
  if (parameters === undefined) {
    return "Simulated at the links' nominal speeds, without overhead.";
  }
  const fractions = Object.entries(parameters.linkFractions ?? {}).map(([key, v]) =>
    `${v.value.toFixed(3)} of ${key}`
  );
  const overhead = parameters.overheadSeconds?.value ?? 0;
  return `Simulated with usable link fractions ${
    fractions.length > 0 ? fractions.join(", ") : "1 (nominal)"
  } and an overhead of ${overhead.toFixed(2)} s per migration.`;
}

function errorLabel(row: GanttRow): string {
  if (row.errorSeconds === undefined) return "";
  const sign = row.errorSeconds >= 0 ? "+" : "−";
  return `${sign}${Math.abs(row.errorSeconds).toFixed(1)} s (${sign}${
    Math.abs(row.errorPercent!).toFixed(1)
  } %)`;
}

/** A makespan rule and where its label goes. */
interface MakespanRule {
  x: number;
  what: string;
  anchor: "start" | "end";
  dx: number;
}

/** The chart's marks: measured bars, simulated bars, makespan rules and their labels, errors. */
function ganttMarks(rows: GanttRow[], measured: GanttRow[], rules: MakespanRule[]): unknown[] {
  return [
    Plot.barX(measured, {
      x1: "startSeconds",
      x2: "measuredEndSeconds",
      y: "label",
      fill: MEASURED_COLOR,
      insetTop: 3,
      insetBottom: 11,
    }),
    Plot.barX(rows, {
      x1: "startSeconds",
      x2: "simulatedEndSeconds",
      y: "label",
      fill: SIMULATED_COLOR,
      insetTop: measured.length > 0 ? 15 : 3,
      insetBottom: 3,
    }),
    Plot.ruleX(rules, { x: "x", stroke: "#555", strokeDasharray: "4,3" }),
    ...rules.map((rule) =>
      Plot.text([rule], {
        x: "x",
        text: "what",
        frameAnchor: "top",
        dy: -2,
        fill: "#555",
        fontSize: 10,
        textAnchor: rule.anchor,
        dx: rule.dx,
      })
    ),
    Plot.text(measured, {
      x: (r: GanttRow) => Math.max(r.measuredEndSeconds!, r.simulatedEndSeconds),
      y: "label",
      text: errorLabel,
      textAnchor: "start",
      dx: 4,
      fontSize: 10,
    }),
  ];
}

/**
 * Builds a Gantt chart of a plan: one row per migration (by start time),
 * the measured span as a thick bar and the simulated span as a thin bar
 * under it, each measured migration labelled with its error (measured -
 * simulated, seconds and percent), and dashed rules at the measured and the
 * simulated makespan. A plan without measurements shows the simulated bars
 * only (the operator's "what if"). Plot options for {@linkcode render}.
 *
 * @param plan The plan (migrations with `migrationTimeSeconds` are drawn as measured).
 * @param simulated What `simulatePlan` returned for it.
 * @param options The data source (required), the parameters used, the plan's name, the width.
 * @returns The figure and its rows.
 * @throws {TypeError} If an input or option has the wrong type.
 * @throws {RangeError} If `simulated` does not match the plan's migrations.
 *
 * @example A two-migration plan, one measured
 * ```ts
 * import { figurePlanGanttSpec } from "./figure_plan_gantt_spec.ts";
 * import { simulatePlan } from "../plans/simulate_plan.ts";
 * import assert from "node:assert/strict";
 * const node = { uplinkBytesPerSecond: 1e8, downlinkBytesPerSecond: 1e8 };
 * const vm = { method: "kvm-postcopy", memoryBytes: 1e9, wssBytes: 0, dirtyPagesPerSecond: 0 };
 * const plan = {
 *   nodes: { a: node, b: node },
 *   migrations: [ // synthetic, not measured
 *     { ...vm, id: "one", source: "a", destination: "b", startSeconds: 0, migrationTimeSeconds: 12 },
 *     { ...vm, id: "two", source: "b", destination: "a", startSeconds: 4 },
 *   ],
 * };
 * const figure = figurePlanGanttSpec(plan, simulatePlan(plan), {
 *   source: { description: "a made-up plan", synthetic: true },
 * });
 * assert.equal(figure.rows[0]!.errorSeconds, 2); // 12 s measured, 10 s simulated
 * assert.equal(figure.rows[1]!.measuredEndSeconds, undefined);
 * assert.ok(figure.title.startsWith("SYNTHETIC DATA"));
 * ```
 */
export function figurePlanGanttSpec(
  plan: Plan,
  simulated: PlanResult,
  options: FigurePlanGanttOptions,
): FigureSpec & { rows: GanttRow[] } {
  const where = "figurePlanGanttSpec";
  checkInputs(where, plan, simulated);
  const record = checkObject(where, "options", options);
  const source = checkObject(where, 'option "source"', record.source) as unknown as DataSource;
  const widthPixels = checkNumber(
    where,
    "option",
    "widthPixels",
    options.widthPixels ?? 900,
    "positive",
    "pixels",
  );
  const planName = options.planName ?? "plan";
  const rows = ganttRows(plan, simulated);
  const measured = rows.filter((r) => r.measuredEndSeconds !== undefined);
  const labels = rows.map((r) => r.label);
  const simulatedMakespan = Math.max(...rows.map((r) => r.simulatedEndSeconds));
  const rules: MakespanRule[] = [{
    x: simulatedMakespan,
    what: "simulated",
    anchor: "start",
    dx: 3,
  }];
  let errorSentence = "No migration of this plan is measured: the bars are the simulation only.";
  if (measured.length > 0) {
    const measuredMakespan = Math.max(...measured.map((r) => r.measuredEndSeconds!));
    rules.push({ x: measuredMakespan, what: "measured", anchor: "start", dx: 3 });
    // The earlier of the two labels goes to the left of its rule, so that they never overlap.
    const earlier = measuredMakespan < simulatedMakespan ? rules[1]! : rules[0]!;
    earlier.anchor = "end";
    earlier.dx = -3;
    const mape = measured.reduce((s, r) => s + Math.abs(r.errorPercent!), 0) / measured.length;
    errorSentence = `Labels: measured − simulated time of each migration. Mean absolute error ${
      mape.toFixed(1)
    } % over ${measured.length} measured migrations; makespan measured ${
      measuredMakespan.toFixed(0)
    } s, simulated ${simulatedMakespan.toFixed(1)} s (${
      (((measuredMakespan - simulatedMakespan) / measuredMakespan) * 100).toFixed(1)
    } %).`;
  }
  const xMax = Math.max(simulatedMakespan, ...measured.map((r) => r.measuredEndSeconds!)) * 1.18;
  return {
    title: markTitle(
      `${planName}: ${rows.length} migrations sharing the hosts' links, ${
        measured.length > 0 ? "measured and simulated" : "simulated"
      }`,
      source,
    ),
    subtitle:
      "Each row one migration, from its start to its end; the flow model shares each host's uplink and downlink max-min fairly",
    caption: [
      source.synthetic
        ? `Data: SYNTHETIC, a plan made up for illustration, not measured (${source.description}).`
        : sourceSentence(source),
      `${
        measured.length > 0 ? "Thick bars: measured span; thin bars" : "Bars"
      }: simulatePlan (each migration's rounds at the bandwidth it gets over time).`,
      errorSentence,
      parameterSentence(options.parameters),
      "Dashed rules: makespans.",
    ].join(" "),
    legends: [{
      label: "Span",
      items: [
        ...(measured.length > 0
          ? [{ label: "measured", color: MEASURED_COLOR, symbol: "square" as const }]
          : []),
        { label: "simulated", color: SIMULATED_COLOR, symbol: "square" },
        { label: "makespan", color: "#555", symbol: "line" },
      ],
    }],
    panels: [{
      name: "gantt",
      plot: {
        width: widthPixels,
        height: 40 + 26 * rows.length,
        marginLeft: 130,
        marginBottom: 40,
        x: {
          domain: [0, xMax],
          label: "time since the plan's first start (s)",
          labelAnchor: "center",
          labelArrow: "none",
          grid: true,
        },
        y: { domain: labels, label: "migration (source → destination)", labelArrow: "none" },
        marks: ganttMarks(rows, measured, rules),
      },
    }],
    widthPixels,
    rows,
  };
}
