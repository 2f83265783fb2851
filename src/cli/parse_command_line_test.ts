import assert from "node:assert/strict";
import { formatHelp } from "./format_help.ts";
import { type CommandSpec, flag, option, type OptionTable } from "./option_table.ts";
import { HelpRequest, parseCommandLine } from "./parse_command_line.ts";
import { UsageError } from "./usage_error.ts";
import { integer, list, oneOf, positiveNumber, quantity, seconds } from "./values.ts";

const SPEC = {
  name: "collect",
  usage: "deno task collect [options]",
  description: "Runs migrations.",
  options: {
    out: option(oneOf(["a", "b"]), { help: "where" }),
    timeout: option(seconds(), { help: "pre-copy limit", default: 60 }),
    memory: option(quantity("bytes"), {
      help: "VM memory",
      default: 1.5 * 2 ** 30,
      defaultText: "1.5GiB",
    }),
    rates: option(list(positiveNumber()), { help: "pages/s" }),
    repeats: option(integer({ min: 1 }), { help: "repeats", default: 1, short: "r" }),
    quick: flag("CI grid", { short: "q" }),
  },
};

/** Asserts a UsageError with this message, flag and value. */
function refused(
  args: string[],
  message: string,
  where: { flag?: string; value?: string } = {},
  spec: CommandSpec<OptionTable, unknown> = SPEC,
): void {
  assert.throws(() => parseCommandLine(spec, args), (error) => {
    assert.ok(error instanceof UsageError, String(error));
    assert.equal(error.message, message);
    assert.equal(error.flag, where.flag);
    assert.equal(error.value, where.value);
    return true;
  });
}

Deno.test("parseCommandLine() reads both value forms, flags, aliases and defaults", async (t) => {
  await t.step("defaults", () => {
    const { values, positionals, debug } = parseCommandLine(SPEC, []);
    assert.deepEqual(values, {
      out: undefined,
      timeout: 60,
      memory: 1.5 * 2 ** 30,
      rates: undefined,
      repeats: 1,
      quick: false,
    });
    assert.deepEqual(positionals, []);
    assert.equal(debug, false);
  });
  await t.step("--flag=value and --flag value read the same", () => {
    const a = parseCommandLine(SPEC, ["--timeout=20", "--memory", "256MiB", "--rates=1024,5120"]);
    const b = parseCommandLine(SPEC, [
      "--timeout",
      "20",
      "--memory=256MiB",
      "--rates",
      "1024,5120",
    ]);
    assert.deepEqual(a, b);
    assert.equal(a.values.timeout, 20);
    assert.equal(a.values.memory, 256 * 2 ** 20);
    assert.deepEqual(a.values.rates, [1024, 5120]);
  });
  await t.step("short aliases, alone and grouped", () => {
    assert.equal(parseCommandLine(SPEC, ["-r", "3"]).values.repeats, 3);
    assert.equal(parseCommandLine(SPEC, ["-q"]).values.quick, true);
  });
  await t.step("--debug is every command's", () => {
    assert.equal(parseCommandLine(SPEC, ["--debug", "--quick"]).debug, true);
  });
});

Deno.test("parseCommandLine() refuses each mistake with one line naming the option and value", async (t) => {
  await t.step("an unknown option, with or without a value", () => {
    const known = "--out, --timeout, --memory, --rates, --repeats, --quick, --help, --debug";
    refused(["--bogus"], `collect: unknown option "--bogus", expected one of ${known}`, {
      flag: "--bogus",
    });
    refused(["--data=/my/dir"], `collect: unknown option "--data", expected one of ${known}`, {
      flag: "--data",
    });
    refused(["-x"], `collect: unknown option "-x", expected one of ${known}`, { flag: "-x" });
  });
  await t.step("a malformed or out-of-range value (the issue's cases)", () => {
    refused(
      ["--timeout", "6O"],
      'collect: invalid --timeout, expected seconds > 0, a number or a duration such as "300ms" (got "6O")',
      { flag: "--timeout", value: "6O" },
    );
    refused(
      ["--memory", "0"],
      'collect: invalid --memory, expected a size such as "64MiB" or "1.5GB", > 0, with its unit (got "0")',
      { flag: "--memory", value: "0" },
    );
    refused(
      ["--rates", "-5"],
      'collect: invalid --rates, expected a comma-separated list, each a number > 0 (got "-5")',
      { flag: "--rates", value: "-5" },
    );
    refused(
      ["--repeats=0"],
      'collect: invalid --repeats, expected an integer >= 1 (got "0")',
      { flag: "--repeats", value: "0" },
    );
    refused(["--out="], 'collect: invalid --out, expected one of "a", "b" (got "")', {
      flag: "--out",
      value: "",
    });
  });
  await t.step("a missing value: at the end, or an option in its place", () => {
    refused(
      ["--timeout"],
      'collect: option --timeout needs a value, expected seconds > 0, a number or a duration such as "300ms" (got nothing)',
      { flag: "--timeout" },
    );
    refused(
      ["--repeats", "--quick"],
      'collect: option --repeats needs a value, expected an integer >= 1 (got the option "--quick")',
      { flag: "--repeats" },
    );
    refused(
      ["--repeats", "-q"],
      'collect: option --repeats needs a value, expected an integer >= 1 (got the option "-q")',
      { flag: "--repeats" },
    );
    refused(
      ["--repeats", "--"],
      'collect: option --repeats needs a value, expected an integer >= 1 (got the option "--")',
      { flag: "--repeats" },
    );
  });
  await t.step("a flag given a value", () => {
    refused(
      ["--quick=yes"],
      'collect: option --quick takes no value, expected --quick alone (got "yes")',
      { flag: "--quick", value: "yes" },
    );
  });
  await t.step("an option given twice", () => {
    refused(
      ["--repeats", "2", "-r", "3"],
      'collect: option --repeats given twice, expected it once (got "2", then "3")',
      { flag: "--repeats", value: "3" },
    );
    refused(["--quick", "--quick"], "collect: option --quick given twice, expected it once", {
      flag: "--quick",
    });
  });
  await t.step("an argument to a command that takes none", () => {
    refused(
      ["data/x"],
      'collect: unexpected argument "data/x", expected options only (see --help)',
      { value: "data/x" },
    );
  });
  await t.step("the first mistake is the one reported", () => {
    refused(
      ["--repeats=0", "--bogus"],
      'collect: invalid --repeats, expected an integer >= 1 (got "0")',
      {
        flag: "--repeats",
        value: "0",
      },
    );
  });
});

const FIT = {
  name: "fit",
  usage: "deno task fit [options] DATASET",
  description: "Fits.",
  options: { json: flag("JSON") },
  positionals: {
    name: "DATASET",
    help: "a dataset",
    parser: oneOf(["a.csv", "b.csv", "--weird"]),
    min: 1,
    max: 1,
  },
};

Deno.test("parseCommandLine() reads arguments between options and after --", async (t) => {
  await t.step("before and after options", () => {
    assert.deepEqual(parseCommandLine(FIT, ["a.csv", "--json"]).positionals, ["a.csv"]);
    assert.deepEqual(parseCommandLine(FIT, ["--json", "b.csv"]).positionals, ["b.csv"]);
  });
  await t.step("after --, an option-like argument is an argument", () => {
    const line = parseCommandLine(FIT, ["--json", "--", "--weird"]);
    assert.deepEqual(line.positionals, ["--weird"]);
    assert.equal(line.values.json, true);
  });
  await t.step("too many, too few, refused", () => {
    refused(
      ["a.csv", "b.csv"],
      'fit: unexpected argument "b.csv", expected at most 1 DATASET (got 2)',
      { flag: "DATASET", value: "b.csv" },
      FIT,
    );
    refused(
      ["--json"],
      'fit: missing DATASET, expected one: one of "a.csv", "b.csv", "--weird" (see --help)',
      {
        flag: "DATASET",
      },
      FIT,
    );
    refused(
      ["c.csv"],
      'fit: invalid DATASET, expected one of "a.csv", "b.csv", "--weird" (got "c.csv")',
      {
        flag: "DATASET",
        value: "c.csv",
      },
      FIT,
    );
  });
});

Deno.test("parseCommandLine() answers --help and -h before any check", async (t) => {
  for (const args of [["--help"], ["-h"], ["--bogus", "--help"], ["--repeats=0", "-h"], ["-qh"]]) {
    await t.step(args.join(" "), () => {
      assert.throws(() => parseCommandLine(SPEC, args), (error) => {
        assert.ok(error instanceof HelpRequest);
        assert.equal(error.text, formatHelp(SPEC));
        return true;
      });
    });
  }
  await t.step("not after --", () => {
    assert.deepEqual(parseCommandLine(FIT, ["--", "--weird"]).positionals, ["--weird"]);
    refused(
      ["--", "--help"],
      'fit: invalid DATASET, expected one of "a.csv", "b.csv", "--weird" (got "--help")',
      {
        flag: "DATASET",
        value: "--help",
      },
      FIT,
    );
  });
});

Deno.test("parseCommandLine() refuses a table that redefines help or debug", () => {
  for (const name of ["help", "debug"]) {
    const spec = { name: "x", usage: "x", description: "x", options: { [name]: flag("mine") } };
    assert.throws(() => parseCommandLine(spec, []), {
      name: "TypeError",
      message:
        `parseCommandLine: invalid option table of "x", expected no "--${name}" (every command has it)`,
    });
  }
});

Deno.test("formatHelp() writes every option of the table with its placeholder and default", () => {
  const help = formatHelp({ ...FIT, options: SPEC.options, examples: ["deno task fit a.csv"] });
  assert.equal(
    help,
    [
      "usage: deno task fit [options] DATASET",
      "",
      "Fits.",
      "",
      "arguments:",
      "  DATASET            a dataset",
      "",
      "options:",
      "  --out a|b          where",
      "  --timeout SECONDS  pre-copy limit (default 60)",
      "  --memory SIZE      VM memory (default 1.5GiB)",
      "  --rates LIST       pages/s",
      "  -r, --repeats N    repeats (default 1)",
      "  -q, --quick        CI grid",
      "  -h, --help         show this help and exit",
      "  --debug            show the stack trace of any error (or set MIGRATION_MODEL_DEBUG=1)",
      "",
      "examples:",
      "  deno task fit a.csv",
      "",
    ].join("\n"),
  );
});
