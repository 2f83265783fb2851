/**
 * The run loader: reads a dataset file (or URL, text, bytes) and its
 * metadata sidecar, then parses it with {@linkcode parseRuns}.
 *
 * @module
 */

import { fileUrl, findSidecar, readSidecar, readSource } from "./_source.ts";
import { parseRuns, type ParseRunsOptions, type ParseRunsResult } from "./parse_runs.ts";
import type { RunSource } from "./types.ts";

/**
 * Options for {@linkcode loadRuns}: those of {@linkcode ParseRunsOptions}
 * except the sidecar text, which `metadata` replaces. `fileName` defaults
 * to the file's base name for a path or URL.
 */
export interface LoadRunsOptions
  extends Omit<ParseRunsOptions, "metadataText" | "metadataFileName"> {
  /**
   * The metadata sidecar: a path or URL to read, or `false` for none. By
   * default, for a file or URL source, `<name>.meta.json` beside it is read
   * when it exists (e.g. `runs.meta.json` for `runs.csv`), else
   * `<folder>.meta.json` named after its folder (as the collector writes).
   *
   * @default {undefined (look beside the file)}
   */
  metadata?: string | URL | false;
}

/**
 * Loads measured migration runs from a file path, a `file:`/`http(s):` URL,
 * dataset text or UTF-8 bytes, in CSV, TSV, JSON array or JSON Lines (each
 * may be gzipped: a `.gz` file, or bytes that start with gzip's magic number), with
 * the dataset's `<name>.meta.json` sidecar when there is one (else its
 * folder's `<folder>.meta.json`, as the collector writes). The schema and
 * every rule are those of {@linkcode parseRuns}; this function only does
 * the I/O. The source is never modified.
 *
 * A string is dataset text when it contains a line break or starts with `[`
 * or `{`; any other string is a path.
 *
 * @param source A path, URL, text or bytes.
 * @param options Format, name, sidecar, problem limit.
 * @returns The runs, metadata, conversions, warnings and flagged runs.
 * @throws {DatasetError} If the text (or the sidecar) cannot be read as runs (or metadata), the file is empty, or the bytes are neither UTF-8 nor complete gzip data.
 * @throws {Deno.errors.NotFound} If the file or URL does not exist.
 * @throws {Deno.errors.IsADirectory} If the path (or the sidecar's) is a folder.
 * @throws {Deno.errors.PermissionDenied} If the file may not be read.
 * @throws {TypeError} If the source or an option has the wrong type.
 *
 * @example Loading text
 * ```ts
 * import { loadRuns } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const text = "method\tcontention\tmemory_gib\twss_bytes\tdirty_pages_per_second\tmigration_time_ms\n" +
 *   "xen-precopy\tnone\t1.5\tfull\t0\t12900\n";
 * const { runs, conversions, metadata } = await loadRuns(text);
 * assert.equal(runs[0]?.memoryBytes, 1610612736);
 * assert.equal(runs[0]?.migrationTimeSeconds, 12.9);
 * assert.equal(conversions.length, 2);
 * assert.equal(metadata, undefined);
 * ```
 *
 * @example Gzipped bytes
 * ```ts
 * import { loadRuns } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const text = "method,contention,memory_bytes,wss_bytes,dirty_pages_per_second,migration_time_seconds\n" +
 *   "kvm-postcopy,none,1e9,0,0,8.1\n";
 * const gzip = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
 * const bytes = new Uint8Array(await new Response(gzip).arrayBuffer());
 * const { runs } = await loadRuns(bytes, { fileName: "runs.csv.gz" });
 * assert.equal(runs[0]?.migrationTimeSeconds, 8.1);
 * ```
 */
export async function loadRuns(
  source: RunSource,
  options: LoadRunsOptions = {},
): Promise<ParseRunsResult> {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`loadRuns: invalid options, expected an object (got ${String(options)})`);
  }
  const { format, fileName, metadata, maxProblems } = options;
  const read = await readSource("loadRuns", source, fileName);
  let sidecar;
  if (metadata !== undefined && metadata !== false) {
    const url = metadata instanceof URL ? metadata : fileUrl(metadata);
    sidecar = await readSidecar("loadRuns", url);
    if (sidecar === undefined) {
      throw new Deno.errors.NotFound(
        `loadRuns: cannot read metadata "${String(metadata)}", expected an existing file`,
      );
    }
  } else if (metadata === undefined && read.location) {
    sidecar = await findSidecar("loadRuns", read.location);
  }
  const parseOptions: ParseRunsOptions = { fileName: read.fileName };
  if (format !== undefined) parseOptions.format = format;
  if (maxProblems !== undefined) parseOptions.maxProblems = maxProblems;
  if (sidecar) {
    parseOptions.metadataText = sidecar.text;
    parseOptions.metadataFileName = sidecar.fileName;
  }
  return parseRuns(read.text, parseOptions);
}
