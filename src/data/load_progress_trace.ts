/**
 * Reads a run's progress trace file (`traces/<run>.progress.jsonl.gz`).
 *
 * @module
 */

import { showValue } from "../_validate.ts";
import { parseProgressTrace, type ProgressTrace } from "./parse_progress_trace.ts";

/**
 * Reads a progress trace from a path or bytes, gunzipping it
 * (`DecompressionStream`) when it starts with the gzip magic, and parses it
 * with `parseProgressTrace`. The collector writes these beside each run
 * (data/README.md, "The noise columns and the progress trace").
 *
 * @param source A file path, or the file's bytes.
 * @returns The parsed trace.
 * @throws {TypeError} If the source is neither, or a line is malformed.
 * @throws {SyntaxError} If a line is not JSON.
 * @throws {Deno.errors.NotFound} If the path does not exist.
 *
 * @example Gzipped bytes (a SYNTHETIC one-line trace)
 * ```ts
 * import { loadProgressTrace } from "./load_progress_trace.ts";
 * import assert from "node:assert/strict";
 * const text = '{"t_since_run_start":0,"source":"run","end_seconds":3,"baseline_seconds":10,' +
 *   '"clock_ticks_per_second":100,"write_pattern":"sweep","contention":"none"}\n';
 * const gz = new Uint8Array(
 *   await new Response(
 *     new Blob([text]).stream().pipeThrough(new CompressionStream("gzip")),
 *   ).arrayBuffer(),
 * );
 * const trace = await loadProgressTrace(gz);
 * assert.equal(trace.endSeconds, 3);
 * assert.equal(trace.contention, "none");
 * ```
 */
export async function loadProgressTrace(source: string | Uint8Array): Promise<ProgressTrace> {
  let bytes: Uint8Array;
  let file = "progress trace";
  if (typeof source === "string") {
    bytes = await Deno.readFile(source);
    file = source;
  } else if (source instanceof Uint8Array) {
    bytes = source;
  } else {
    throw new TypeError(
      `loadProgressTrace: invalid source, expected a path or bytes (got ${showValue(source)})`,
    );
  }
  const gzipped = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
  const text = gzipped
    ? await new Response(
      new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
        new DecompressionStream("gzip"),
      ),
    ).text()
    : new TextDecoder().decode(bytes);
  return parseProgressTrace(text, { file });
}
