import assert from "node:assert/strict";
import { markdownTable } from "./markdown_table.ts";

Deno.test("markdownTable() right-aligns numeric columns and escapes pipes", () => {
  const md = markdownTable([{ name: "a|b", value: 2.5 }, { name: "c", value: 1e6 }], {
    digits: 2,
  });
  assert.equal(md, "| name | value |\n| --- | ---: |\n| a\\|b | 2.5 |\n| c | 1000000 |\n");
});

Deno.test("markdownTable() rejects digits out of range", () => {
  assert.throws(
    () => markdownTable([], { digits: 0 }),
    new RangeError(
      'markdownTable: invalid option "digits", expected an integer from 1 to 17 (got 0)',
    ),
  );
});
