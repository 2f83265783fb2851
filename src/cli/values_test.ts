import assert from "node:assert/strict";
import {
  integer,
  list,
  oneOf,
  positiveNumber,
  quantity,
  seconds,
  text,
  type ValueParser,
  ValueRejected,
} from "./values.ts";

/** Asserts that a parser refuses each text with a ValueRejected of this expected text. */
function refuses<T>(parser: ValueParser<T>, texts: string[], shown?: (text: string) => string) {
  for (const input of texts) {
    assert.throws(() => parser.parse(input), (error) => {
      assert.ok(error instanceof ValueRejected, `${JSON.stringify(input)}: ${error}`);
      assert.ok(error instanceof RangeError);
      assert.equal(error.expected, parser.expected);
      assert.equal(error.shown, shown?.(input));
      return true;
    }, JSON.stringify(input));
  }
}

Deno.test("positiveNumber() reads plain decimals > 0", async (t) => {
  await t.step("accepted", () => {
    const rate = positiveNumber();
    assert.equal(rate.parse("5120"), 5120);
    assert.equal(rate.parse(" 0.5 "), 0.5);
    assert.equal(rate.parse("1e3"), 1000);
    assert.equal(rate.parse(".5"), 0.5);
  });
  await t.step("refused: zero, negative, not a plain finite decimal", () => {
    refuses(positiveNumber(), [
      "0",
      "-5",
      "6O",
      "",
      " ",
      "0x10",
      "Infinity",
      "1e400",
      "NaN",
      "1,5",
    ]);
  });
  await t.step("zero when allowed; the unit in the message", () => {
    const limit = positiveNumber({ allowZero: true, unit: "s" });
    assert.equal(limit.parse("0"), 0);
    assert.equal(limit.expected, "a number >= 0 (s)");
    refuses(limit, ["-0.1"]);
  });
});

Deno.test("integer() reads whole numbers in a range", async (t) => {
  await t.step("accepted, at the bounds", () => {
    const folds = integer({ min: 2, max: 100 });
    assert.equal(folds.parse("2"), 2);
    assert.equal(folds.parse("100"), 100);
    assert.equal(folds.parse("+7"), 7);
  });
  await t.step("refused", () => {
    refuses(integer({ min: 2, max: 100 }), ["1", "101", "2.5", "2e1", "", "ten", "0x2"]);
    refuses(integer(), ["-1", "9007199254740993"]);
  });
  await t.step("the expected text", () => {
    assert.equal(integer().expected, "an integer >= 0");
    assert.equal(integer({ min: -10, max: 19 }).expected, "an integer from -10 to 19");
    assert.equal(integer({ min: -10, max: 19 }).parse("-10"), -10);
  });
});

Deno.test("quantity() reads a unit into SI, a bare number only with bareUnit", async (t) => {
  await t.step("sizes and rates", () => {
    assert.equal(quantity("bytes").parse("1.5GiB"), 1.5 * 2 ** 30);
    assert.equal(quantity("bytes").parse("64 MiB"), 64 * 2 ** 20);
    assert.equal(quantity("bytesPerSecond").parse("1Gbps"), 125e6);
    assert.equal(quantity("bytesPerSecond").parse("500 Mbit/s"), 62.5e6);
    assert.equal(quantity("pagesPerSecond").parse("5120 pages/s"), 5120);
  });
  await t.step("a bare number in bareUnit", () => {
    const wss = quantity("bytes", { bareUnit: "MiB", allowZero: true });
    assert.equal(wss.parse("64"), 64 * 2 ** 20);
    assert.equal(wss.parse("0"), 0);
    assert.equal(
      wss.expected,
      'a size such as "64MiB" or "1.5GB", >= 0 (a bare number is MiB)',
    );
  });
  await t.step("refused: zero, negative, no unit, a wrong unit, not a quantity", () => {
    refuses(quantity("bytes"), ["0 MiB", "-1 GiB", "1 Gbps", "a lot", "", "1 parsec"]);
    refuses(quantity("bytesPerSecond"), ["0Mbps", "1 GiB"]);
  });
  await t.step("no unit is refused with a word on it", () => {
    assert.throws(() => quantity("bytes").parse("64"), {
      name: "ValueRejected",
      message: 'expected a size such as "64MiB" or "1.5GB", > 0, with its unit',
    });
  });
});

Deno.test("seconds() reads a bare number as seconds, or a duration", () => {
  assert.equal(seconds().parse("60"), 60);
  assert.equal(seconds().parse("0.3"), 0.3);
  assert.equal(seconds().parse("300ms"), 0.3);
  assert.equal(seconds().parse("2 min"), 120);
  assert.equal(seconds({ allowZero: true }).parse("0"), 0);
  assert.equal(seconds().expected, 'seconds > 0, a number or a duration such as "300ms"');
  refuses(seconds(), ["6O", "-1", "0", "", "1 GiB", "NaN"]);
});

Deno.test("list() reads comma-separated items, naming the bad one", async (t) => {
  await t.step("accepted, blanks around items trimmed", () => {
    assert.deepEqual(list(positiveNumber()).parse("1024, 5120 ,51200"), [1024, 5120, 51200]);
    assert.deepEqual(list(oneOf(["none", "cpu"])).parse("cpu"), ["cpu"]);
  });
  await t.step("a bad item is shown in the list", () => {
    refuses(list(positiveNumber()), ["1024,-5"], () => '"-5" in "1024,-5"');
    // A list of one item shows the item as the value given.
    refuses(list(positiveNumber()), ["-5", " -5 "]);
  });
  await t.step("an empty item is refused, not skipped", () => {
    refuses(list(positiveNumber()), ["1,,2"], () => 'an empty item 2 in "1,,2"');
    refuses(list(positiveNumber()), ["1,"], () => 'an empty item 2 in "1,"');
  });
  await t.step("an empty list, and one too short", () => {
    refuses(list(positiveNumber()), ["", " "]);
    refuses(list(positiveNumber(), { min: 2 }), ["1"]);
    assert.equal(
      list(positiveNumber(), { min: 2 }).expected,
      "a comma-separated list, each a number > 0, at least 2 items",
    );
  });
  await t.step("a parser's bug is not taken for a refusal", () => {
    const broken: ValueParser<number> = {
      expected: "x",
      placeholder: "X",
      parse() {
        throw new TypeError("bug");
      },
    };
    assert.throws(() => list(broken).parse("1"), { name: "TypeError", message: "bug" });
  });
});

Deno.test("oneOf() takes a keyword exactly as written", () => {
  const by = oneOf(["contention"]);
  assert.equal(by.parse("contention"), "contention");
  assert.equal(by.expected, '"contention"');
  refuses(by, ["Contention", " contention", "method", ""]);
  const accel = oneOf(["auto", "tcg", "kvm"]);
  assert.equal(accel.placeholder, "auto|tcg|kvm");
  assert.equal(accel.expected, 'one of "auto", "tcg", "kvm"');
});

Deno.test("text() takes any text that is not blank", () => {
  assert.equal(text().parse("a note"), "a note");
  assert.equal(text({ placeholder: "NOTE" }).placeholder, "NOTE");
  refuses(text(), ["", "  "]);
});
