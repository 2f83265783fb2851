// `deno task reproduce`: the toolkit's main job. Loads the project's
// measured data from data/*/runs.csv (with the dataset's metadata sidecar),
// fits B and the contention factors per method, and writes
//
//   out/figures/fig5.{svg,png}  Figure 5: pre-copy, estimated vs measured, residuals
//   out/figures/fig6.{svg,png}  Figure 6: KVM post-copy, estimated vs measured, residuals
//   out/figures/fig3.{svg,png}  Figure 3: KVM pre-copy time/downtime vs downtime limit
//   out/figures/fig2.{svg,png}  Figure 2: downtime of each method vs workload (CPU, network)
//   out/figures/fig4.{svg,png}  Figure 4: migration time of each method vs workload
//   out/figures/noise.{svg,png} guest progress ratio of each method vs workload
//   out/figures/fig1.{svg,png}  Figure 1: CPU use over time (when progress traces exist)
//   out/report.md               B and factors with intervals, error metrics, provenance
//
// It fits what it can and says on stderr (and at the end of the report)
// which methods it could not fit and which figures it could not draw; when
// nothing can be fitted it refuses in one line (exit 2). It never uses
// synthetic data unless asked: --synthetic runs on a seeded SYNTHETIC
// dataset (the paper's grid, generated from the models), and then stdout,
// the report and every figure say so.
//
//   deno task reproduce                      # the measured data in data/
//   deno task reproduce --synthetic          # the seeded synthetic dataset instead
//   deno task reproduce --data data/my-set   # one dataset, a folder or a file
//   deno task reproduce --out /tmp/figures   # write elsewhere than out/
//   deno task reproduce --resamples 50       # fewer bootstrap resamples (faster)
//   deno task reproduce --help
// The analysis layer alone: the root mod.ts would also load danfojs (toDataFrame), 0.4 s.
import {
  NothingToFitError,
  reproduceProject,
  type ReproduceProjectResult,
} from "../src/analysis/mod.ts";
import {
  datasetPath,
  flag,
  integer,
  option,
  outputFolder,
  parseCommandLine,
  runCommand,
  UsageError,
} from "../src/cli/mod.ts";
import { DEFAULT_RESAMPLES } from "../src/fit/defaults.ts";

/** The command line of `deno task reproduce`. */
export const REPRODUCE_COMMAND = {
  name: "reproduce",
  usage: "deno task reproduce [options]",
  description: `Fits B and the contention factors per method to the measured datasets in data/
(or the one given with --data), and writes Figures 5, 6 and 3 (SVG and PNG) and
report.md to the output folder. What it cannot fit or draw is said on stderr
and in the report; with nothing to fit it refuses (exit 2). Synthetic data only
with --synthetic, and then stdout, the report and every figure say SYNTHETIC.`,
  options: {
    data: option(datasetPath(), {
      help: "one dataset instead of every data/*/: a file, or a folder holding runs.csv",
    }),
    out: option(outputFolder(), {
      help: "where the figures and report.md go (made if missing)",
      defaultText: "out/",
    }),
    resamples: option(integer({ min: 0 }), {
      help: "bootstrap resamples for the intervals (0: none)",
      default: DEFAULT_RESAMPLES,
    }),
    synthetic: flag("use the seeded SYNTHETIC dataset (generated from the models), not data/"),
  },
  examples: [
    "deno task reproduce",
    "deno task reproduce --data data/qemu-tcg-1gbit --out /tmp/figures",
    "deno task reproduce --data my-runs.csv --resamples 50",
  ],
};

const root = new URL("..", import.meta.url).pathname;

async function main(): Promise<void> {
  const { values } = parseCommandLine(REPRODUCE_COMMAND, Deno.args);
  if (values.synthetic && values.data !== undefined) {
    throw new UsageError(
      `reproduce: --data and --synthetic given together, expected one of them (got --data "${values.data.path}")`,
      { flag: "--synthetic" },
    );
  }
  const started = performance.now();
  const outDir = values.out ?? `${root}out`;
  // Find the data (measured if any, else synthetic, said plainly), fit, build the figures
  // and the report, and write them under the output folder.
  const fontFile = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
  if (!(await Deno.stat(fontFile).then(() => true, () => false))) {
    console.log(
      `warning: ${fontFile} is missing, so the PNGs will have no text (the SVGs are complete); ` +
        "install Debian's fonts-dejavu-core (bash scripts/install_system.sh fonts)",
    );
  }
  const result = await reproduceProject({
    dataDir: `${root}data`,
    ...(values.data ? { folders: [values.data.path] } : {}),
    synthetic: values.synthetic,
    resamples: values.resamples,
    outDir,
  }).catch((error) => {
    if (!(error instanceof NothingToFitError)) throw error;
    const where = values.data ? values.data.path : "data/";
    throw new UsageError(
      `reproduce: nothing to fit in ${where}: ${error.reasons.join("; ").replaceAll(root, "")} ` +
        "(--synthetic runs on the seeded synthetic dataset instead)",
      { flag: "--data", cause: error },
    );
  });
  for (const message of result.messages) console.log(message.replaceAll(root, ""));
  for (const line of result.skipped) console.error(`reproduce: ${line.replaceAll(root, "")}`);
  printSummary(result);
  const written = result.written.map((path) => path.replace(root, ""));
  console.log(
    `\nwrote ${written.join(", ")} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

/** The fits, what was not fitted and Figure 3's comparison, on stdout. */
function printSummary(result: ReproduceProjectResult): void {
  const input = { source: result.source };
  console.log(
    `\n${
      input.source.synthetic ? "SYNTHETIC " : ""
    }fit per method (B = baseline bandwidth, 95 % interval):`,
  );
  for (const [method, fit] of Object.entries(result.fits)) {
    const b = fit.bandwidth;
    const known = ["none", "cpu", "network", "memory"];
    const groups = Object.keys(fit.factors).sort((a, b) =>
      (known.indexOf(a) + 1 || 99) - (known.indexOf(b) + 1 || 99) || a.localeCompare(b)
    );
    const factors = groups.map((g) => `${g} ${fit.factors[g]!.value.toFixed(3)}`).join(", ");
    const cv = result.crossValidation[method]?.metrics;
    console.log(
      `  ${method.padEnd(13)} B ${
        b
          ? `${(b.value * 8e-6).toFixed(1)} Mbit/s [${(b.low * 8e-6).toFixed(1)}, ${
            (b.high * 8e-6).toFixed(1)
          }]`
          : "(efficiency scale)"
      }` +
        `  factors: ${factors}  in-sample MAPE ${
          fit.metrics.mapePercent.toFixed(2)
        } %, cross-validated MAPE ${
          cv ? `${cv.mapePercent.toFixed(2)} %` : `n/a (${result.crossValidationFailed[method]})`
        }`,
    );
  }
  for (const text of result.leftOut) console.log(`  left out: ${text}`);
  if (result.sweepComparison.length > 0) {
    console.log(
      "\nFigure 3, measured downtime limit sweep against the model at the KVM pre-copy B:",
    );
    for (const c of result.sweepComparison) {
      const model = result.fig3.switches.find((s) =>
        s.workload === c.workload && s.what === "starts to converge"
      );
      console.log(
        `  ${c.workload}: model switch ${
          model ? `${model.limitSeconds.toPrecision(4)} s` : "none"
        }, ` +
          `measured between ${c.lastStuckSeconds ?? "-"} s (stuck) and ${
            c.firstConvergedSeconds ?? "-"
          } s (converged); outcome as the model says for ${c.agreeing} of ${c.runs} runs`,
      );
    }
  }
}

if (import.meta.main) await runCommand(main);
