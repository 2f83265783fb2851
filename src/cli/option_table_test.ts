import assert from "node:assert/strict";
import { allOptions, COMMON_OPTIONS, flag, option } from "./option_table.ts";
import { integer, seconds } from "./values.ts";

Deno.test("flag() makes an option without a value, with or without an alias", () => {
  assert.deepEqual(flag("print JSON"), { kind: "flag", help: "print JSON", short: undefined });
  assert.deepEqual(flag("quick grid", { short: "q" }), {
    kind: "flag",
    help: "quick grid",
    short: "q",
  });
});

Deno.test("option() keeps its parser and shows its default as text", async (t) => {
  const parser = integer({ min: 2 });
  await t.step("a default: its String() unless defaultText is given", () => {
    assert.deepEqual(option(parser, { help: "folds", default: 5, short: "k" }), {
      kind: "value",
      parser,
      help: "folds",
      short: "k",
      defaultValue: 5,
      defaultText: "5",
    });
    const memory = option(integer(), { help: "MiB", default: 1536, defaultText: "1.5GiB" });
    assert.equal(memory.defaultText, "1.5GiB");
    assert.equal(memory.defaultValue, 1536);
  });
  await t.step("a default of 0 is shown, not taken for none", () => {
    const zero = option(seconds({ allowZero: true }), { help: "wait", default: 0 });
    assert.equal(zero.defaultValue, 0);
    assert.equal(zero.defaultText, "0");
  });
  await t.step("no default: undefined, and no text", () => {
    const seed = option(integer(), { help: "seed" });
    assert.equal(seed.defaultValue, undefined);
    assert.equal(seed.defaultText, undefined);
    assert.equal(seed.short, undefined);
  });
  await t.step("the parser is the one given", () => {
    assert.equal(option(parser, { help: "folds" }).parser.parse("7"), 7);
  });
});

Deno.test("COMMON_OPTIONS are the flags --help (-h) and --debug", () => {
  assert.deepEqual(Object.keys(COMMON_OPTIONS), ["help", "debug"]);
  assert.equal(COMMON_OPTIONS.help!.kind, "flag");
  assert.equal(COMMON_OPTIONS.help!.short, "h");
  assert.equal(COMMON_OPTIONS.debug!.kind, "flag");
  assert.equal(COMMON_OPTIONS.debug!.short, undefined);
});

Deno.test("allOptions() adds the common options after the command's own", () => {
  const options = { json: flag("JSON"), folds: option(integer(), { help: "folds", default: 5 }) };
  const spec = { name: "fit", usage: "fit", description: "Fits.", options };
  const table = allOptions(spec);
  assert.deepEqual(Object.keys(table), ["json", "folds", "help", "debug"]);
  assert.equal(table.folds, options.folds);
  assert.equal(table.help, COMMON_OPTIONS.help);
  assert.deepEqual(
    Object.keys(spec.options),
    ["json", "folds"],
    "the command's table is unchanged",
  );
});

Deno.test("allOptions() refuses a table that redefines --help or --debug", () => {
  for (const name of ["help", "debug"]) {
    assert.throws(
      () =>
        allOptions({ name: "plans", usage: "x", description: "x", options: { [name]: flag("x") } }),
      {
        name: "TypeError",
        message:
          `parseCommandLine: invalid option table of "plans", expected no "--${name}" (every command has it)`,
      },
    );
  }
});
