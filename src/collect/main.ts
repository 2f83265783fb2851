// `deno task collect`: runs real QEMU live migrations and writes a dataset.
// See README.md "Collecting measurements (deno task collect)" and `--help`.
// The command line is read strictly (src/cli) and every value checked before any
// work: no guest is built and no namespace made for a command line with a mistake.

import {
  flag,
  integer,
  list,
  oneOf,
  option,
  type OptionValues,
  outputFolder,
  parseCommandLine,
  positiveNumber,
  quantity,
  runCommand,
  seconds,
  text,
  UsageError,
  type ValueParser,
  ValueRejected,
} from "../cli/mod.ts";
import { CONCURRENT_HELP, concurrentMain } from "./_concurrent_main.ts";
import { CollectSetupError } from "./collect_setup_error.ts";
import { collect } from "./collect.ts";
import { CONCURRENT_SHAPES } from "./concurrent_plans.ts";
import { PAPER_DIRTY_PAGES_PER_SECOND, PAPER_WSS, planGrid } from "./plan_grid.ts";
import {
  COLLECT_CONTENTIONS,
  COLLECT_METHODS,
  type GridPoint,
  type RequestedWss,
} from "./types.ts";

const MIB = 2 ** 20;

/** A size in whole MiB (a bare number is MiB), at least `minMib`. */
function wholeMib(options: { minMib: number }): ValueParser<number> {
  const { minMib } = options;
  const inner = quantity("bytes", { bareUnit: "MiB", allowZero: minMib === 0 });
  const expected = `${
    minMib === 0 ? "a size" : `a size >= ${minMib} MiB`
  } in whole MiB such as "64MiB" or "1.5GiB" (a bare number is MiB)`;
  return {
    expected,
    placeholder: "SIZE",
    parse(textValue) {
      let bytes: number;
      try {
        bytes = inner.parse(textValue);
      } catch {
        throw new ValueRejected(expected);
      }
      if (!Number.isInteger(bytes / MIB) || bytes < minMib * MIB) throw new ValueRejected(expected);
      return bytes;
    },
  };
}

/** A working set: `full`, or a size in whole MiB (0 allowed). */
function workingSet(): ValueParser<RequestedWss> {
  const size = wholeMib({ minMib: 0 });
  const expected = `"full" or ${size.expected}`;
  return {
    expected,
    placeholder: "WSS",
    parse(textValue) {
      if (textValue.trim() === "full") return "full";
      try {
        return size.parse(textValue);
      } catch {
        throw new ValueRejected(expected);
      }
    },
  };
}

/** The command line of `deno task collect`. */
export const COLLECT_COMMAND = {
  name: "collect",
  usage: "deno task collect [options]",
  description: `Runs real QEMU live migrations (source and destination QEMU in two network
namespaces joined by a tc-shaped veth pair) and writes <out>/runs.csv,
<out>/<name>.meta.json and <out>/traces/*.jsonl.gz (QMP polls, events, and the
progress trace: guest and load progress at 10 Hz and every QEMU thread's CPU time
from /proc at 10 Hz, from --baseline s before migrate to --after s after the end).
Resumes: points already in runs.csv are skipped. Needs root and QEMU >= 9.

CONCURRENT: ${CONCURRENT_HELP}`,
  options: {
    out: option(outputFolder(), {
      help: "output directory; its name is the dataset name",
      defaultText: "out/collect, or out/collect-quick with --quick",
    }),
    quick: flag(
      "CI grid: 256 MiB VM, WSS 64 MiB, 5120 pages/s, 3 methods + network contention for pre-copy + a second post-copy repeat, 20 s timeout",
    ),
    memory: option(wholeMib({ minMib: 64 }), {
      help: "VM memory",
      defaultText: "1.5GiB, or 256MiB with --quick",
    }),
    link: option(quantity("bytesPerSecond"), { help: "link rate", defaultText: "1Gbps" }),
    "downtime-limit": option(seconds(), { help: "QEMU downtime limit", defaultText: "0.3" }),
    "downtime-limits": option(list(seconds()), {
      help: "sweep: run every kvm-precopy point once per limit, e.g. 0.5,1,1.2,2 (Figure 3)",
    }),
    timeout: option(seconds(), {
      help: "pre-copy non-convergence limit",
      defaultText: "60, or 20 with --quick",
    }),
    "hard-timeout": option(seconds(), {
      help: "any run's limit",
      defaultText: "300, or 60 with --quick",
    }),
    wss: option(list(workingSet()), {
      help: "working sets, e.g. 0,64MiB,1GiB,full",
      defaultText: "the paper's 0..1024 MiB + full",
    }),
    rates: option(list(positiveNumber({ unit: "pages/s" })), {
      help: "dirty rates, pages/s, e.g. 1024,51200",
      defaultText: PAPER_DIRTY_PAGES_PER_SECOND.join(","),
    }),
    contention: option(list(oneOf(COLLECT_CONTENTIONS)), {
      help: "contention kinds",
      defaultText: "all",
    }),
    methods: option(list(oneOf(COLLECT_METHODS)), { help: "methods", defaultText: "all" }),
    repeats: option(integer({ min: 1 }), { help: "repeats of every point", default: 1 }),
    "max-points": option(integer({ min: 1 }), { help: "stop after N points" }),
    "no-fill": flag("leave the guest's free memory untouched (zero pages)"),
    accel: option(oneOf(["auto", "tcg", "kvm"] as const), {
      help: "accelerator (auto: KVM if a guest boots in 20 s, else TCG)",
      default: "auto" as "auto" | "tcg" | "kvm",
    }),
    "postcopy-switch": option(oneOf(["immediate", "after-first-pass"] as const), {
      help: "when post-copy starts (immediate: T = M/B as in the paper's model)",
      default: "immediate" as "immediate" | "after-first-pass",
    }),
    "write-pattern": option(oneOf(["sweep", "random"] as const), {
      help:
        "the guest dirtier writes round-robin over the WSS, or to a uniformly random page each time (recorded in write_pattern, point keys and trace names)",
      default: "sweep" as "sweep" | "random",
    }),
    baseline: option(seconds({ allowZero: true }), {
      help: "quiet time before each migrate with the load running: the progress ratios' baseline",
      defaultText: "10",
    }),
    after: option(seconds({ allowZero: true }), {
      help: "time recorded after each migration ends",
      defaultText: "5",
    }),
    nice: option(integer({ min: -20, max: 19 }), {
      help: "niceness of QEMU and loads",
      default: -10,
    }),
    "retry-failed": flag("run again points whose rows are all 'failed'"),
    "host-load": option(text(), {
      help:
        "note on other load on the machine, for the metadata (each run also records its load average, run delays and other CPU)",
    }),
    concurrent: option(list(oneOf(CONCURRENT_SHAPES)), {
      help:
        "concurrent mode: plan shapes shared-uplink (a->b, a->c), shared-downlink (a->c, b->c), three (a->b, a->c, b->c); writes runs.csv with plan columns and the plan tables migrations.csv and nodes.csv; see CONCURRENT above",
    }),
    stagger: option(seconds({ allowZero: true }), {
      help: "concurrent mode: seconds between the starts in a plan",
      defaultText: "4",
    }),
  },
  examples: [
    "deno task collect --quick --out /tmp/collect-quick",
    "deno task collect --wss 0,128MiB,full --rates 51200 --methods kvm-precopy --downtime-limits 0.5,1,2",
  ],
};

/** The collector's command line, read and checked. */
export type Values = OptionValues<typeof COLLECT_COMMAND.options>;

/** The points to run: the `--quick` CI grid or the grid the flags ask for. */
function planOf(values: Values): GridPoint[] {
  const { quick, wss, rates, contention: contentions, methods, repeats } = values;
  const limits = values["downtime-limits"];
  if (!quick) {
    return planGrid({
      wss: wss ?? PAPER_WSS,
      dirtyPagesPerSecond: rates ?? PAPER_DIRTY_PAGES_PER_SECOND,
      contentions: contentions ?? COLLECT_CONTENTIONS,
      methods: methods ?? COLLECT_METHODS,
      repeats,
      ...(limits === undefined ? {} : { downtimeLimitsSeconds: limits }),
    });
  }
  const point = { wss: wss ?? [64 * MIB], dirtyPagesPerSecond: rates ?? [5120] };
  return [
    ...planGrid({
      ...point,
      contentions: contentions ?? ["none"],
      methods: methods ?? COLLECT_METHODS,
      repeats,
    }),
    ...(contentions === undefined
      ? planGrid({ ...point, contentions: ["network"], methods: ["kvm-precopy"], repeats })
      : []),
    // A second post-copy repeat, so CI can fit a bandwidth to the rows (a fit needs 2 runs).
    ...planGrid({
      ...point,
      contentions: ["none"],
      methods: ["kvm-postcopy"],
      repeats: repeats + 1,
    }).filter((p) => p.run === repeats + 1),
  ];
}

/**
 * The VM's memory the command line asks for, checked against the working sets before any
 * work (collect() checks them again, as a bug).
 *
 * @param values The command line.
 * @returns The memory, bytes.
 * @throws {UsageError} If a working set is not below the memory.
 */
export function checkedMemoryBytes(values: Values): number {
  const memoryBytes = values.memory ?? (values.quick ? 256 * MIB : 1.5 * 1024 * MIB);
  for (const wss of values.wss ?? []) {
    if (wss !== "full" && wss >= memoryBytes) {
      throw new UsageError(
        `collect: invalid --wss, expected working sets below the VM's memory (${
          memoryBytes / MIB
        } MiB) or "full" (got ${wss / MIB} MiB)`,
        { flag: "--wss" },
      );
    }
  }
  return memoryBytes;
}

/** Parses and checks the command line, then runs the collector. */
async function main(): Promise<void> {
  const { values } = parseCommandLine(COLLECT_COMMAND, Deno.args);
  if (values.concurrent !== undefined) return await concurrentMain(values, Deno.args);
  const quick = values.quick;
  const memoryBytes = checkedMemoryBytes(values);
  const plan = planOf(values);
  const result = await collect({
    outDir: values.out ?? (quick ? "out/collect-quick" : "out/collect"),
    plan: values["write-pattern"] === "random"
      ? plan.map((point) => ({ ...point, writePattern: "random" as const }))
      : plan,
    memoryBytes,
    linkBandwidthBytesPerSecond: values.link ?? 125e6,
    ...(values.baseline === undefined ? {} : { baselineSeconds: values.baseline }),
    ...(values.after === undefined ? {} : { afterSeconds: values.after }),
    downtimeLimitSeconds: values["downtime-limit"] ?? 0.3,
    timeoutSeconds: values.timeout ?? (quick ? 20 : 60),
    hardTimeoutSeconds: values["hard-timeout"] ?? (quick ? 60 : 300),
    fill: !values["no-fill"],
    accel: values.accel,
    postcopySwitch: values["postcopy-switch"],
    niceness: values.nice,
    retryFailed: values["retry-failed"],
    ...(values["max-points"] === undefined ? {} : { maxPoints: values["max-points"] }),
    hostLoadNote: values["host-load"] ?? "",
    commandLine: ["deno", "task", "collect", ...Deno.args],
  });
  console.error(
    `collect: done: ${result.ran} run, ${result.skipped} skipped, ${
      JSON.stringify(result.statuses)
    }, accelerator ${result.accelerator}, ${result.secondsPerPoint.toFixed(1)} s/point`,
  );
}

if (import.meta.main) await runCommand(main, { userErrors: [CollectSetupError] });
