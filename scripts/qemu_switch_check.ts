// Checks kvmPrecopy's QEMU rule against measured downtime-limit sweeps
// (issue #14): per workload the measured bracket over all repeats (mixed
// limits where they disagree) against the model's switch, per converged run
// the model's pause against the guest-visible pause, and with --grid both
// switch rules on a grid dataset. The numbers come from
// switchRuleValidation and gridSwitchRules (src/analysis), as the report's.
//
//   deno run -A scripts/qemu_switch_check.ts [FOLDER...] [--bandwidth run|FIXED_BYTES_PER_S]
//     [--socket-buffer BYTES] [--grid data/qemu-tcg-1gbit/runs.csv]
//
// FOLDER defaults to data/qemu-tcg-1gbit-downtime-limit. B is each run's
// measured throughput (`throughput_bytes_per_second`) unless a fixed value is
// given; with --grid the sweep is checked again at the grid's fitted B (as
// the report does). Z is the run's `zero_pages` x page size.
import { loadRuns } from "../src/data/load_runs.ts";
import type { MigrationRun } from "../src/data/types.ts";
import { gridSwitchRules } from "../src/analysis/grid_switch_rules.ts";
import {
  switchRuleValidation,
  type SwitchRuleValidationOptions,
} from "../src/analysis/switch_rule_validation.ts";

const s = (v: number | null) => (v === null ? "-" : v.toFixed(3));

/** The sweep's tables as Markdown lines (brackets, pauses, summary). */
export function switchCheckLines(
  runs: readonly MigrationRun[],
  options: SwitchRuleValidationOptions = {},
): string[] {
  const v = switchRuleValidation(runs, options);
  const lines = [
    "| workload | runs | no run converged up to (s) | mixed limits (s) | every run converged from (s) | model switch (s) | inside | calls right |",
    "|---|---|---|---|---|---|---|---|",
    ...v.brackets.map((b) =>
      `| ${b.workload} | ${b.runs} | ${s(b.lowSeconds)} | ${b.mixedLimitsSeconds.join(" ")} | ${
        s(b.highSeconds)
      } | ${s(b.modelSwitchSeconds)} | ${b.inside ? "yes" : "NO"} | ${b.callsRight}/${b.runs} |`
    ),
    "",
    "| workload | limit (s) | run | measured pause (s) | model (s) | error (s) | ok |",
    "|---|---|---|---|---|---|---|",
    ...v.pauses.map((p) =>
      `| ${p.workload} | ${p.limitSeconds} | ${p.run} | ${p.measuredSeconds.toFixed(3)} | ${
        p.modelSeconds.toFixed(3)
      } | ${(p.modelSeconds - p.measuredSeconds).toFixed(3)} | ${p.ok ? "yes" : "NO"} |`
    ),
    "",
    `${
      v.brackets.filter((b) => b.inside).length
    }/${v.brackets.length} switches inside their bracket; ${
      v.pauses.length - v.pauseMisses.length
    }/${v.pauses.length} pauses within 10 % or 100 ms; ${v.wrongCalls.length} outcomes called wrong`,
    ...v.wrongCalls.map((c) => `- ${c}`),
  ];
  return lines;
}

/** Both switch rules on a grid dataset as Markdown lines. */
export function gridCheckLines(runs: readonly MigrationRun[]): string[] {
  return [
    "| KVM pre-copy on the grid | CV time MAPE (%) | CV pause MAE (s) | CV pause p90 (s) | B (MB/s) | calls right |",
    "|---|---|---|---|---|---|",
    ...gridSwitchRules(runs).map((g) =>
      `| ${g.switchRule} | ${g.cvTimeMapePercent.toFixed(3)} | ${
        g.cvDowntimeMaeSeconds.toFixed(4)
      } | ${g.cvDowntimeP90Seconds.toFixed(4)} | ${
        (g.bandwidthBytesPerSecond / 1e6).toFixed(2)
      } | ${g.callsRight}/${g.runs} |`
    ),
  ];
}

if (import.meta.main) {
  const args = [...Deno.args];
  const take = (name: string) => {
    const at = args.indexOf(name);
    if (at < 0) return undefined;
    const value = args[at + 1];
    args.splice(at, 2);
    if (value === undefined || value.startsWith("--")) {
      console.error(`qemu_switch_check: option ${name} needs a value`);
      Deno.exit(2);
    }
    return value;
  };
  const bandwidthText = take("--bandwidth");
  const gridFile = take("--grid");
  const socketText = take("--socket-buffer");
  const socketBufferBytes = socketText === undefined ? undefined : Number(socketText);
  const bandwidth = bandwidthText === undefined || bandwidthText === "run"
    ? undefined
    : Number(bandwidthText);
  if (
    (bandwidth !== undefined && !(bandwidth > 0)) ||
    (socketBufferBytes !== undefined && !(socketBufferBytes >= 0))
  ) {
    console.error(
      "qemu_switch_check: --bandwidth and --socket-buffer take numbers (bytes/s, bytes)",
    );
    Deno.exit(2);
  }
  const unknown = args.find((a) => a.startsWith("--"));
  if (unknown !== undefined) {
    console.error(`qemu_switch_check: unknown option ${unknown}`);
    Deno.exit(2);
  }
  const folders = args.length > 0 ? args : ["data/qemu-tcg-1gbit-downtime-limit"];
  const runs: MigrationRun[] = [];
  for (const folder of folders) runs.push(...(await loadRuns(`${folder}/runs.csv`)).runs);
  console.log(
    `B: ${
      bandwidth === undefined ? "each run's throughput" : `${bandwidth} bytes/s`
    }; socket buffer ${socketBufferBytes ?? "the model's default"} bytes`,
  );
  const lines = switchCheckLines(runs, {
    ...(bandwidth === undefined ? {} : { bandwidthBytesPerSecond: bandwidth }),
    model: socketBufferBytes === undefined ? {} : { socketBufferBytes },
  });
  console.log(lines.join("\n"));
  if (gridFile !== undefined) {
    const grid = (await loadRuns(gridFile)).runs;
    console.log("\n" + gridCheckLines(grid).join("\n"));
    // The sweep again at the B fitted on the grid (QEMU's rule), as the report validates it.
    const fitted = gridSwitchRules(grid, { switchRules: ["qemu"] })[0]!.bandwidthBytesPerSecond;
    console.log(`\nAt the grid's fitted B = ${(fitted / 1e6).toFixed(2)} MB/s:`);
    console.log(
      switchCheckLines(runs, {
        bandwidthBytesPerSecond: fitted,
        model: socketBufferBytes === undefined ? {} : { socketBufferBytes },
      })
        .join("\n"),
    );
  }
}
