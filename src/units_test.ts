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
import { unit as mathUnit } from "./_deps/mathjs.ts";

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

Deno.test("parseQuantity() gives mathjs's value and error class for every unit it reads", () => {
  const numbers = ["0", "1.5", "0.1", "123.456", "3.3e-2", ".5", "+2", "-4", "1e400"];
  const dataPrefixes = ["", "k", "M", "G", "T", "P", "E", "Z", "Y", "Ki", "Mi", "Gi", "Ti", "Yi"];
  const data = dataPrefixes.flatMap((p) => [`${p}b`, `${p}B`, `${p}bit`, `${p}bytes`]);
  const timePrefixes = ["", "k", "m", "u", "n", "da", "h", "d", "Q", "q"];
  const times = [
    ...timePrefixes.map((p) => `${p}s`),
    ...["", "milli", "micro", "kilo"].flatMap((p) => [`${p}second`, `${p}seconds`, `${p}sec`]),
    ..."min mins minute minutes h hr hrs hour hours day days week weeks".split(" "),
  ];
  const units = [
    ...data,
    ...times,
    ...dataPrefixes.flatMap((p) => [`${p}bps`, `${p}Bps`]),
    ...data.flatMap((d) => times.map((t) => `${d}/${t}`)),
    ...dataPrefixes.flatMap((p) => [`${p}B / s`, `${p}bit / ms`, `${p}bytes /hour`]),
    ...times.map((t) => `${t}/s`),
    "mb",
    "KB",
    "Kib",
    "kibit",
    "B/B",
    "s/B",
  ];
  const kinds = ["bytes", "seconds", "bytesPerSecond", "pagesPerSecond"] as const;
  const outcome = (f: () => number) => {
    try {
      return f();
    } catch (error) {
      return (error as Error).name;
    }
  };
  let compared = 0;
  for (const number of numbers) {
    for (const unit of units) {
      const text = `${number} ${unit}`;
      const normalised = text.replace(/(b|B)ps$/, "$1/s").replace(/bits?(?=$|\/)/, "b")
        .replace(/bytes?(?=$|\/)/, "B");
      for (const kind of kinds) {
        const target = { bytes: "B", seconds: "s", bytesPerSecond: "B/s", pagesPerSecond: "1/s" };
        const expected = outcome(() => {
          let parsed;
          try {
            parsed = mathUnit(normalised);
          } catch {
            throw new SyntaxError("unknown unit");
          }
          try {
            return parsed.toNumber(target[kind]);
          } catch {
            throw new RangeError("wrong dimension");
          }
        });
        const finite = typeof expected !== "number" || Number.isFinite(expected)
          ? expected
          : "RangeError";
        assert.equal(outcome(() => parseQuantity(text, kind)), finite, `${text} as ${kind}`);
        compared++;
      }
    }
  }
  assert.ok(compared > 50000, `compared ${compared}`);
});
