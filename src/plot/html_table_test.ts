import assert from "node:assert/strict";
import { htmlTable } from "./html_table.ts";

Deno.test("htmlTable() escapes, formats numbers and keeps column order", () => {
  const html = htmlTable([{ a: 1, b: 0.123456789 }, { b: Number.NaN, c: "x&y" }], {
    caption: "T<1>",
  });
  assert.equal(
    html,
    "<table><caption>T&lt;1&gt;</caption><thead><tr><th>a</th><th>b</th><th>c</th></tr></thead>" +
      "<tbody><tr><td>1</td><td>0.1235</td><td></td></tr><tr><td></td><td>NaN</td><td>x&amp;y</td></tr></tbody></table>",
  );
});

Deno.test("htmlTable() rejects rows that are not an array", () => {
  assert.throws(
    () => htmlTable("rows" as unknown as []),
    new TypeError('htmlTable: invalid rows, expected an array of objects (got "rows")'),
  );
});
