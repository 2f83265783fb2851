import assert from "node:assert/strict";
import { DatasetError } from "../data/dataset_error.ts";
import { HelpRequest } from "./parse_command_line.ts";
import { debugRequested, describeFailure } from "./run_command.ts";
import { UsageError } from "./usage_error.ts";

Deno.test("describeFailure() prints a user's mistake as its message and exits with 2", async (t) => {
  const cases: [string, Error][] = [
    ["a usage error", new UsageError('fit: invalid --folds, expected an integer >= 2 (got "1")')],
    [
      "a dataset error",
      new DatasetError("runs.csv", [{
        file: "runs.csv",
        expected: "x",
        message: "runs.csv:2: bad",
      }]),
    ],
    ["no such file", new Deno.errors.NotFound('loadRuns: cannot read "a.csv": no such file')],
    ["a folder", new Deno.errors.IsADirectory('loadRuns: cannot read "d": it is a folder')],
    ["not a folder", new Deno.errors.NotADirectory("a path through a file")],
    ["no permission", new Deno.errors.PermissionDenied("permission denied")],
    ["Deno's permission", new Deno.errors.NotCapable("Requires read access")],
  ];
  for (const [name, error] of cases) {
    await t.step(name, () => {
      assert.deepEqual(describeFailure(error), { code: 2, stdout: "", stderr: error.message });
    });
  }
  await t.step("a class the command adds", () => {
    class CollectError extends RangeError {}
    const error = new CollectError("collect: invalid --memory");
    assert.equal(describeFailure(error).code, 1);
    assert.deepEqual(describeFailure(error, { userErrors: [CollectError] }), {
      code: 2,
      stdout: "",
      stderr: "collect: invalid --memory",
    });
  });
});

Deno.test("describeFailure() shows a bug's stack trace and causes, and exits with 1", async (t) => {
  await t.step("an error with a cause", () => {
    const error = new TypeError("outer", { cause: new RangeError("inner") });
    const { code, stderr } = describeFailure(error);
    assert.equal(code, 1);
    assert.match(stderr, /^error: TypeError: outer\n +at .+run_command_test\.ts/);
    assert.match(stderr, /\nCaused by: RangeError: inner\n +at /);
  });
  await t.step("a thrown value that is not an error", () => {
    assert.deepEqual(describeFailure("oops"), { code: 1, stdout: "", stderr: 'error: "oops"' });
  });
  await t.step("a user's mistake with debug shows its trace", () => {
    const error = new UsageError("fit: bad");
    const { code, stderr } = describeFailure(error, { debug: true });
    assert.equal(code, 2);
    assert.match(stderr, /^UsageError: fit: bad\n +at /);
  });
});

Deno.test("describeFailure() prints help to stdout and exits with 0", () => {
  assert.deepEqual(describeFailure(new HelpRequest("usage: x\n")), {
    code: 0,
    stdout: "usage: x\n",
    stderr: "",
  });
});

Deno.test("debugRequested() reads --debug before any --", () => {
  assert.equal(debugRequested(["--debug"]), true);
  assert.equal(debugRequested(["a", "--debug", "--", "b"]), true);
  const fromEnvironment = ["1", "true"].includes(Deno.env.get("MIGRATION_MODEL_DEBUG") ?? "");
  assert.equal(debugRequested(["--", "--debug"]), fromEnvironment);
  assert.equal(debugRequested([]), fromEnvironment);
});

const TINY = new URL("./testdata/tiny_command.ts", import.meta.url).pathname;
const CONFIG = new URL("../../deno.json", import.meta.url).pathname;

/** Runs the tiny command as a task would and returns its status and output. */
async function tiny(
  args: string[],
  env: Record<string, string> = {},
  permissions = ["--allow-read", "--allow-write", "--allow-env"],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--config", CONFIG, ...permissions, TINY, ...args],
    env: { DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1", MIGRATION_MODEL_DEBUG: "", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  return {
    code: output.code,
    stdout: text.decode(output.stdout),
    stderr: text.decode(output.stderr),
  };
}

Deno.test("runCommand() runs a command: status, help, one-line mistakes, bugs", async (t) => {
  await t.step("it works: --flag=value and --flag value", async () => {
    const result = await tiny(["--count=2", "--rates", "1,2.5", TINY]);
    assert.deepEqual(result, {
      code: 0,
      stdout: `${JSON.stringify({ numbers: [1, 2], rates: [1, 2.5], files: [TINY] })}\n`,
      stderr: "",
    });
  });
  await t.step("a status the command returns", async () => {
    assert.equal((await tiny(["--fail", "status"])).code, 3);
  });
  await t.step("--help from the option table", async () => {
    const { code, stdout, stderr } = await tiny(["--count", "5", "--help"]);
    assert.equal(code, 0);
    assert.equal(stderr, "");
    assert.match(
      stdout,
      /^usage: tiny \[options\] \[FILE \.\.\.\]\n\nCounts to N, or fails as asked\.\n/,
    );
    assert.match(stdout, /\n {2}--count N +how far to count \(default 3\)\n/);
    assert.match(stdout, /\n {2}--fail dataset\|missing\|folder\|bug\|status\n +fail this way\n/);
    assert.match(stdout, /\n {2}-h, --help +show this help and exit\n/);
    assert.match(stdout, /\nexamples:\n {2}tiny --count 5\n$/);
  });
  const mistakes: [string, string[], string][] = [
    [
      "an unknown option",
      ["--bogus"],
      'tiny: unknown option "--bogus", expected one of --count, --rates, --fail, --quiet, --help, --debug',
    ],
    [
      "a malformed value",
      ["--count", "6O"],
      'tiny: invalid --count, expected an integer from 1 to 10 (got "6O")',
    ],
    [
      "an out-of-range value",
      ["--count=0"],
      'tiny: invalid --count, expected an integer from 1 to 10 (got "0")',
    ],
    [
      "a negative list item",
      ["--rates", "-5"],
      'tiny: invalid --rates, expected a comma-separated list, each a number > 0 (got "-5")',
    ],
    [
      "a missing value",
      ["--count"],
      "tiny: option --count needs a value, expected an integer from 1 to 10 (got nothing)",
    ],
    [
      "an option as the value",
      ["--count", "--quiet"],
      'tiny: option --count needs a value, expected an integer from 1 to 10 (got the option "--quiet")',
    ],
    [
      "a value for a flag",
      ["--quiet=yes"],
      'tiny: option --quiet takes no value, expected --quiet alone (got "yes")',
    ],
    [
      "an option twice",
      ["--count", "2", "--count=3"],
      'tiny: option --count given twice, expected it once (got "2", then "3")',
    ],
    [
      "a file that does not exist",
      ["nope.csv"],
      'tiny: invalid FILE, expected an existing file (got "nope.csv": no such file or folder)',
    ],
    [
      "an empty dataset",
      ["--fail", "dataset"],
      "empty.csv: cannot load runs, 1 problem\nempty.csv: the file is empty, expected a header line and at least one run",
    ],
  ];
  for (const [name, args, message] of mistakes) {
    await t.step(name, async () => {
      assert.deepEqual(await tiny(args), { code: 2, stdout: "", stderr: `${message}\n` });
    });
  }
  await t.step("a missing file and a folder name the path", async () => {
    for (const [kind, what] of [["missing", "no such file"], ["folder", "it is a folder"]]) {
      const { code, stdout, stderr } = await tiny(["--fail", kind!]);
      assert.equal(code, 2);
      assert.equal(stdout, "");
      assert.match(
        stderr,
        new RegExp(`^loadRuns: cannot read "/[^"]+": ${what}, expected [^\\n]+\\n$`),
      );
    }
  });
  await t.step("Deno's permission not granted", async () => {
    const { code, stderr } = await tiny(["--fail", "missing"], {}, ["--allow-read"]);
    assert.equal(code, 2);
    assert.equal(stderr.split("\n").length, 2, stderr);
    assert.doesNotMatch(stderr, /\n +at /);
  });
  await t.step("a bug shows its stack trace and cause", async () => {
    const { code, stderr } = await tiny(["--fail", "bug"]);
    assert.equal(code, 1);
    assert.match(stderr, /^error: TypeError: tiny: a bug\n +at .+tiny_command\.ts/);
    assert.match(stderr, /\nCaused by: Error: inner\n/);
  });
  await t.step("--debug and MIGRATION_MODEL_DEBUG=1 show a mistake's trace", async () => {
    for (
      const [args, env] of [[["--fail", "folder", "--debug"], {}], [["--fail", "folder"], {
        MIGRATION_MODEL_DEBUG: "1",
      }]] as const
    ) {
      const { code, stderr } = await tiny([...args], env);
      assert.equal(code, 2);
      assert.match(
        stderr,
        /^IsADirectory: loadRuns: cannot read "[^"]+": it is a folder, .+\n +at /,
      );
      assert.match(stderr, /\nCaused by: IsADirectory: Is a directory \(os error 21\)/);
    }
  });
});
