// The `plans` case: simulatePlan on a plan of 10,000 migrations over 1,000
// hosts (--quick: 300 over 60) against the same event loop in plain Python
// (bench/reference/plans.py). The plan is seeded and synthetic: hosts with
// 500 Mbit/s or 1 Gbit/s links, migrations of the three methods between
// random hosts, started uniformly over an hour.
import { type Plan, type PlanParameters, simulatePlan } from "../../mod.ts";
import { createRandom } from "../../src/_random.ts";
import {
  agreementChecks,
  type BenchCase,
  type CaseOptions,
  type CaseResult,
  finishResult,
  readColumn,
  sideBySide,
} from "../_harness.ts";

const GOAL = "10,000 migrations over 1,000 hosts in seconds; agree with the Python event loop";
const METHODS = ["kvm-precopy", "kvm-precopy", "xen-precopy", "kvm-postcopy"];

/** A seeded synthetic plan (not measured). */
export function benchPlan(migrations: number, hosts: number, seed = 1): Plan {
  const random = createRandom(seed);
  const nodes: Plan["nodes"] = {};
  for (let h = 0; h < hosts; h++) {
    const bps = h % 3 === 0 ? 62.5e6 : 125e6;
    nodes[`h${h}`] = { uplinkBytesPerSecond: bps, downlinkBytesPerSecond: bps };
  }
  const list = Array.from({ length: migrations }, (_, i) => {
    const source = Math.floor(random() * hosts);
    const destination = (source + 1 + Math.floor(random() * (hosts - 1))) % hosts;
    const memoryBytes = (1 + Math.floor(random() * 4)) * 1e9;
    return {
      id: `vm${i}`,
      method: METHODS[Math.floor(random() * METHODS.length)]!,
      memoryBytes,
      wssBytes: Math.floor(random() * 4) * 64e6,
      dirtyPagesPerSecond: Math.floor(random() * 4) * 2000,
      source: `h${source}`,
      destination: `h${destination}`,
      startSeconds: Math.round(random() * 3600), // whole seconds: many start together
    };
  });
  return { nodes, migrations: list };
}

const PARAMETERS: PlanParameters = {
  linkFractions: { "500 Mbit/s": { value: 0.88 }, "1000 Mbit/s": { value: 0.93 } },
  overheadSeconds: { value: 3 },
};
const OPTIONS = { kvmPrecopy: { timeoutSeconds: 300 } };

/** The bench case. */
export const plansCase: BenchCase = {
  name: "plans",
  async run(options: CaseOptions): Promise<CaseResult> {
    const [migrations, hosts] = options.quick ? [300, 60] : [10000, 1000];
    const plan = benchPlan(migrations, hosts);
    const { ours, reference } = await sideBySide(
      options,
      () => simulatePlan(plan, PARAMETERS, OPTIONS),
      "plans.py",
      {
        plan,
        parameters: {
          linkFractions: { "500 Mbit/s": 0.88, "1000 Mbit/s": 0.93 },
          overheadSeconds: 3,
        },
        options: OPTIONS,
      },
    );
    const result = ours.result;
    const checks = agreementChecks();
    const dir = reference.outDir;
    checks.floats(
      "endSeconds",
      result.migrations.map((m) => m.endSeconds),
      await readColumn(`${dir}/endSeconds.bin`, Float64Array),
      1e-9,
    );
    checks.floats(
      "transferredBytes",
      result.migrations.map((m) => m.transferredBytes),
      await readColumn(`${dir}/transferredBytes.bin`, Float64Array),
      1e-9,
    );
    const finished = finishResult({
      case: "plans",
      description:
        "simulatePlan (max-min fair flows, rounds at the rate each migration gets) vs the same event loop in plain Python",
      note: "",
      ours_repeats: ours.seconds,
      reference_repeats: reference.timing.seconds,
      sizes: { migrations, hosts },
      goal: GOAL,
      agreement: checks.build(),
      extra: { makespan_seconds: result.makespanSeconds, python: reference.timing.python },
    });
    if (finished.ours_seconds !== null) {
      finished.note = `${
        (migrations / finished.ours_seconds / 1e3).toFixed(0)
      } k migrations/s; makespan ${result.makespanSeconds.toFixed(0)} s`;
    }
    return finished;
  },
};
