// A tiny command for run_command_test.ts: it runs under runCommand as the
// project's tasks do, and `--fail KIND` makes it fail in each way a command can.

import { loadRuns } from "../../data/load_runs.ts";
import { existingPath } from "../paths.ts";
import { flag, option } from "../option_table.ts";
import { parseCommandLine } from "../parse_command_line.ts";
import { runCommand } from "../run_command.ts";
import { integer, list, oneOf, positiveNumber } from "../values.ts";

const SPEC = {
  name: "tiny",
  usage: "tiny [options] [FILE ...]",
  description: "Counts to N, or fails as asked.",
  options: {
    count: option(integer({ min: 1, max: 10 }), { help: "how far to count", default: 3 }),
    rates: option(list(positiveNumber()), { help: "some rates" }),
    fail: option(oneOf(["dataset", "missing", "folder", "bug", "status"]), {
      help: "fail this way",
    }),
    quiet: flag("print nothing"),
  },
  positionals: { name: "FILE", help: "files that exist", parser: existingPath("file") },
  examples: ["tiny --count 5"],
};

if (import.meta.main) {
  await runCommand(async () => {
    const { values, positionals } = parseCommandLine(SPEC, Deno.args);
    const dir = await Deno.makeTempDir();
    try {
      if (values.fail === "dataset") {
        await Deno.writeTextFile(`${dir}/empty.csv`, "");
        await loadRuns(`${dir}/empty.csv`);
      }
      if (values.fail === "missing") await loadRuns(`${dir}/missing.csv`);
      if (values.fail === "folder") await loadRuns(dir);
      if (values.fail === "bug") throw new TypeError("tiny: a bug", { cause: new Error("inner") });
      if (values.fail === "status") return 3;
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
    if (values.quiet) return;
    const numbers = Array.from({ length: values.count }, (_, i) => i + 1);
    console.log(JSON.stringify({ numbers, rates: values.rates ?? null, files: positionals }));
  });
}
