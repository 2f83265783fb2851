import assert from "node:assert/strict";
import { textTable } from "./text_table.ts";

Deno.test("textTable() pads columns, aligns numbers right and draws a header rule", async (t) => {
  await t.step("defaults: numeric columns right-aligned, a rule of dashes", () => {
    const text = textTable([{ group: "cpu", runs: 12, factor: 0.812345 }, {
      group: "network",
      runs: 3,
      factor: Number.NaN,
    }]);
    assert.equal(
      text,
      "group    runs  factor\n" +
        "-------  ----  ------\n" +
        "cpu        12  0.8123\n" +
        "network     3     NaN",
    );
  });

  await t.step("given alignment, no rule, a caption; a left last column is not padded", () => {
    const text = textTable([{ a: "x", b: "long text" }, { a: "yyyy", b: "" }], {
      align: ["right", "left"],
      rule: false,
      caption: "T",
    });
    assert.equal(text, "T\n   a  b\n   x  long text\nyyyy  ");
  });

  await t.step("strings are kept as the caller formatted them", () => {
    assert.equal(textTable([{ v: "0.500", n: 2 }]), "v      n\n-----  -\n0.500  2");
  });
});

Deno.test("textTable() rejects bad input", () => {
  assert.throws(
    () => textTable(5 as unknown as []),
    new TypeError("textTable: invalid rows, expected an array of objects (got 5)"),
  );
  assert.throws(
    () => textTable([{ a: 1 }], { align: ["middle" as "left"] }),
    new TypeError(
      'textTable: invalid option "align", expected an array of "left" or "right" (got ["middle"])',
    ),
  );
  assert.throws(
    () => textTable([{ a: 1 }], { align: ["left", "right"] }),
    new RangeError(
      'textTable: invalid option "align", expected one alignment per column (1) (got 2)',
    ),
  );
});
