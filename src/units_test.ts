import assert from "node:assert/strict";
import {
  bytesPerSecondToMbps,
  bytesToMib,
  bytesToPages,
  gbpsToBytesPerSecond,
  gibToBytes,
  mbpsToBytesPerSecond,
  mibToBytes,
  pagesToBytes,
  parseQuantity,
} from "./units.ts";

Deno.test("unit helpers convert at the edges and round-trip", () => {
  assert.equal(mibToBytes(64), 67108864);
  assert.equal(bytesToMib(mibToBytes(123.5)), 123.5);
  assert.equal(gibToBytes(1.5), 1610612736);
  assert.equal(mbpsToBytesPerSecond(500), 62.5e6);
  assert.equal(bytesPerSecondToMbps(mbpsToBytesPerSecond(300)), 300);
  assert.equal(gbpsToBytesPerSecond(10), 1.25e9);
  assert.equal(pagesToBytes(50), 204800);
  assert.equal(pagesToBytes(50, 2 * 2 ** 20), 50 * 2 ** 21);
  assert.equal(bytesToPages(1610612736), 393216);
});

Deno.test("parseQuantity() reads sizes, rates and durations with their units", async (t) => {
  const cases: [string, Parameters<typeof parseQuantity>[1], number][] = [
    ["1.5 GB", "bytes", 1.5e9],
    ["1.5 GiB", "bytes", 1610612736],
    ["64 MiB", "bytes", 67108864],
    ["4 KiB", "bytes", 4096],
    ["50 pages", "bytes", 204800],
    ["1 Gbps", "bytesPerSecond", 125e6],
    ["500 Mbps", "bytesPerSecond", 62.5e6],
    ["500 Mbit/s", "bytesPerSecond", 62.5e6],
    ["125 MB/s", "bytesPerSecond", 125e6],
    ["300 ms", "seconds", 0.3],
    ["2 s", "seconds", 2],
    ["5120 pages/s", "pagesPerSecond", 5120],
  ];
  for (const [text, kind, expected] of cases) {
    await t.step(`${text} as ${kind}`, () => assert.equal(parseQuantity(text, kind), expected));
  }
});

Deno.test("parseQuantity() rejects unknown and dimensionally wrong units", () => {
  assert.throws(() => parseQuantity("64", "bytes"), {
    name: "SyntaxError",
    message: 'parseQuantity: cannot read "64", expected a size such as "64 MiB" or "1.5 GB"',
  });
  assert.throws(() => parseQuantity("3 furlongs", "bytes"), {
    name: "SyntaxError",
    message:
      'parseQuantity: unknown unit in "3 furlongs", expected a size such as "64 MiB" or "1.5 GB"',
  });
  assert.throws(() => parseQuantity("1 Gbps", "bytes"), {
    name: "RangeError",
    message:
      'parseQuantity: "1 Gbps" is not a size such as "64 MiB" or "1.5 GB", expected a unit convertible to B',
  });
  assert.throws(() => parseQuantity("5120 pages", "pagesPerSecond"), { name: "RangeError" });
  // deno-lint-ignore no-explicit-any
  assert.throws(() => parseQuantity(64 as any, "bytes"), {
    name: "TypeError",
    message: "parseQuantity: expected a string (got number)",
  });
});
