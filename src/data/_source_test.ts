import assert from "node:assert/strict";
import { DatasetError } from "./dataset_error.ts";
import { decodeBytes, explainReadError, isGzip, sidecarCandidates } from "./_source.ts";

/** Gzips bytes with the web-standard CompressionStream. */
async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream()
    .pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const TEXT = "method,contention\nkvm-precopy,none\n";
const BYTES = new TextEncoder().encode(TEXT);

Deno.test("decodeBytes() decompresses gzip data by their magic bytes", async (t) => {
  const packed = await gzip(BYTES);
  await t.step("a .gz name", async () => {
    assert.ok(isGzip(packed));
    assert.equal(await decodeBytes(packed, "runs.csv.gz"), TEXT);
  });
  await t.step("any other name", async () => {
    assert.equal(await decodeBytes(packed, "runs.csv"), TEXT);
  });
  await t.step("plain text is read as it is", async () => {
    assert.ok(!isGzip(BYTES));
    assert.equal(await decodeBytes(BYTES, "runs.csv"), TEXT);
  });
});

Deno.test("decodeBytes() refuses corrupt gzip, a .gz name without gzip and binary files", async (t) => {
  const packed = await gzip(BYTES);
  await t.step("followed by more bytes (two members)", async () => {
    const two = new Uint8Array([...packed, ...packed]);
    await assert.rejects(() => decodeBytes(two, "two.csv.gz"), { name: "DatasetError" });
  });
  await t.step("cut short", async () => {
    const error = await decodeBytes(packed.slice(0, packed.length - 12), "runs.csv.gz")
      .then(() => undefined, (e) => e);
    assert.ok(error instanceof DatasetError);
    assert.equal(error.file, "runs.csv.gz");
    assert.match(
      error.problems[0]?.message ?? "",
      /^runs\.csv\.gz: the gzip data are corrupt, cut short or followed by more bytes \(.+\), expected one complete gzip stream$/,
    );
  });
  await t.step("a .gz name over plain bytes", async () => {
    await assert.rejects(() => decodeBytes(BYTES, "runs.csv.gz"), {
      name: "DatasetError",
      message: "runs.csv.gz: cannot load runs, 1 problem\n" +
        "runs.csv.gz: the bytes are not gzip data, expected gzip data (the name ends in .gz)",
    });
  });
  await t.step("a zip archive", async () => {
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0xff, 0xfe]);
    await assert.rejects(() => decodeBytes(zip, "runs.xlsx"), {
      name: "DatasetError",
      message: "runs.xlsx: cannot load runs, 1 problem\n" +
        "runs.xlsx: the bytes are a zip archive (an Excel workbook?), expected UTF-8 text or " +
        "gzip-compressed UTF-8 text (export it as CSV)",
    });
  });
});

Deno.test("explainReadError() names the path and what was expected", async (t) => {
  const cause = (Class: new (message: string) => Error) => new Class("os error");
  await t.step("no such file", () => {
    const error = explainReadError("loadRuns", "a/runs.csv", cause(Deno.errors.NotFound));
    assert.ok(error instanceof Deno.errors.NotFound);
    assert.equal(
      error.message,
      'loadRuns: cannot read "a/runs.csv": no such file, expected an existing dataset file ' +
        "(a string with a line break is read as dataset text)",
    );
  });
  await t.step("a folder", () => {
    const error = explainReadError("loadRuns", "data/x/", cause(Deno.errors.IsADirectory));
    assert.ok(error instanceof Deno.errors.IsADirectory);
    assert.equal(
      error.message,
      'loadRuns: cannot read "data/x/": it is a folder, expected a dataset file ' +
        '(a dataset folder\'s runs are in "data/x/runs.csv")',
    );
  });
  await t.step("no permission (a file URL)", () => {
    const url = new URL("file:///srv/my%20data/runs.csv");
    const error = explainReadError("importQmp", url, cause(Deno.errors.PermissionDenied));
    assert.ok(error instanceof Deno.errors.PermissionDenied);
    assert.equal(
      error.message,
      'importQmp: cannot read "/srv/my data/runs.csv": permission denied, expected a dataset ' +
        "file this user may read",
    );
  });
  await t.step("a sidecar that is a folder", () => {
    const error = explainReadError(
      "loadRuns",
      "runs.meta.json",
      cause(Deno.errors.IsADirectory),
      "metadata file (JSON)",
    );
    assert.equal(
      (error as Error).message,
      'loadRuns: cannot read "runs.meta.json": it is a folder, expected a metadata file (JSON)',
    );
  });
  await t.step("anything else is passed on unchanged", () => {
    const other = new Deno.errors.Interrupted("interrupted");
    assert.equal(explainReadError("loadRuns", "runs.csv", other), other);
  });
});

Deno.test("sidecarCandidates() looks beside a .gz file without its extensions", () => {
  assert.deepEqual(
    sidecarCandidates(new URL("file:///d/mine/runs.csv.gz")).map((u) => u.pathname),
    ["/d/mine/runs.meta.json", "/d/mine/mine.meta.json"],
  );
  assert.deepEqual(
    sidecarCandidates(new URL("file:///d/mine/runs.csv")).map((u) => u.pathname),
    ["/d/mine/runs.meta.json", "/d/mine/mine.meta.json"],
  );
});
