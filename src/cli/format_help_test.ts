import assert from "node:assert/strict";
import { formatHelp } from "./format_help.ts";
import { flag, option } from "./option_table.ts";
import { integer, text } from "./values.ts";

const HELP_ROW = "show this help and exit";
const DEBUG_ROW = "show the stack trace of any error (or set MIGRATION_MODEL_DEBUG=1)";

Deno.test("formatHelp() of a command with no options, arguments or examples", () => {
  const help = formatHelp({
    name: "x",
    usage: "deno task x",
    description: "\n  Does x.\n\n",
    options: {},
    examples: [],
  });
  // The widest left column is "-h, --help" (10 characters): every right column starts at 2 + 12.
  assert.equal(
    help,
    [
      "usage: deno task x",
      "",
      "Does x.",
      "",
      "options:",
      `  -h, --help  ${HELP_ROW}`,
      `  --debug     ${DEBUG_ROW}`,
      "",
    ].join("\n"),
  );
  assert.ok(!help.includes("arguments:"));
  assert.ok(!help.includes("examples:"));
});

Deno.test("formatHelp() widens the left column to the argument's name", () => {
  const help = formatHelp({
    name: "x",
    usage: "deno task x FILE_OR_FOLDER",
    description: "Does x.",
    options: {},
    positionals: { name: "FILE_OR_FOLDER", help: "the dataset", parser: text() },
  });
  const lines = help.split("\n");
  // "FILE_OR_FOLDER" is 14 characters: a left column of 16.
  assert.deepEqual(lines.slice(4, 7), ["arguments:", "  FILE_OR_FOLDER  the dataset", ""]);
  assert.equal(lines[8], `  -h, --help      ${HELP_ROW}`);
});

Deno.test("formatHelp() puts the help of a left column of 28 or more on the next line", () => {
  const help = formatHelp({
    name: "x",
    usage: "deno task x",
    description: "Does x.",
    options: {
      // "--" and 26 letters: 28 characters, the widest column, so it wraps.
      "abcdefghijklmnopqrstuvwxyz": flag("the alphabet"),
      "out": option(text({ placeholder: "DIR" }), { help: "where", default: "out/" }),
      "zero": option(integer(), { help: "a count", default: 0 }),
    },
  });
  const pad = " ".repeat(28);
  assert.deepEqual(help.split("\n").slice(5, 10), [
    "  --abcdefghijklmnopqrstuvwxyz",
    `  ${pad}the alphabet`,
    `  ${"--out DIR".padEnd(28)}where (default out/)`,
    `  ${"--zero N".padEnd(28)}a count (default 0)`,
    `  ${"-h, --help".padEnd(28)}${HELP_ROW}`,
  ]);
});

Deno.test("formatHelp() lists the examples, indented, after the options", () => {
  const help = formatHelp({
    name: "x",
    usage: "deno task x",
    description: "Does x.",
    options: { quick: flag("CI grid", { short: "q" }) },
    examples: ["deno task x", "deno task x -q"],
  });
  assert.ok(help.endsWith(`${DEBUG_ROW}\n\nexamples:\n  deno task x\n  deno task x -q\n`));
  assert.match(help, /\n {2}-q, --quick +CI grid\n/);
});

Deno.test("formatHelp() refuses a table that redefines a common option", () => {
  assert.throws(
    () => formatHelp({ name: "x", usage: "x", description: "x", options: { debug: flag("mine") } }),
    {
      name: "TypeError",
      message:
        'parseCommandLine: invalid option table of "x", expected no "--debug" (every command has it)',
    },
  );
});
