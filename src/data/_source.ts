// Private: the I/O edge of the loaders. Turns a source (path, URL, text or
// bytes) into text and a name for messages, and finds a dataset's sidecar.

import { pathToFileURL } from "node:url";
import { DatasetError } from "./dataset_error.ts";

import type { RunSource as Source } from "./types.ts";

/** Text read from a source. */
export interface SourceText {
  text: string;
  /** Name for messages: the file's base name, or the given name. */
  fileName: string;
  /** Where it came from, when it was a file or URL (for the sidecar). */
  location: URL | undefined;
}

/** True when a string source is dataset text rather than a path. */
export function isText(source: string): boolean {
  const start = source.trimStart()[0];
  return source.includes("\n") || start === "[" || start === "{";
}

function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return decodeURIComponent(parts[parts.length - 1] ?? path) || path;
}

/** Binary formats people save datasets in by mistake, by their first bytes, with a hint. */
const BINARY_FORMATS: readonly { magic: readonly number[]; what: string; hint: string }[] = [
  {
    magic: [0x50, 0x4b, 0x03, 0x04],
    what: "a zip archive (an Excel workbook?)",
    hint: "export it as CSV",
  },
  { magic: [0x42, 0x5a, 0x68], what: "bzip2 data", hint: "decompress it, or compress with gzip" },
  {
    magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00],
    what: "xz data",
    hint: "decompress it, or compress with gzip",
  },
  {
    magic: [0x28, 0xb5, 0x2f, 0xfd],
    what: "zstd data",
    hint: "decompress it, or compress with gzip",
  },
];

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return bytes.length >= magic.length && magic.every((byte, i) => bytes[i] === byte);
}

/** Decodes UTF-8 bytes, keeping a byte order mark for the parser to report. */
export function decodeUtf8(bytes: Uint8Array, fileName: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const binary = BINARY_FORMATS.find((format) => startsWith(bytes, format.magic));
    const what = binary ? `the bytes are ${binary.what}` : "the bytes are not UTF-8 text";
    const hint = binary ? binary.hint : "save the file as UTF-8, or gzip it";
    throw new DatasetError(fileName, [{
      file: fileName,
      expected: "UTF-8 text or gzip-compressed UTF-8 text",
      message: `${fileName}: ${what}, expected UTF-8 text or gzip-compressed UTF-8 text (${hint})`,
    }]);
  }
}

/** The first two bytes of gzip data (RFC 1952). */
const GZIP_MAGIC = [0x1f, 0x8b] as const;

/** True when the bytes start with gzip's magic number. */
export function isGzip(bytes: Uint8Array): boolean {
  return startsWith(bytes, GZIP_MAGIC);
}

/**
 * Decompresses gzip bytes with the web-standard `DecompressionStream`.
 * Throws a DatasetError naming the file when the data are corrupt, cut
 * short or followed by more bytes (Deno's stream reads one gzip member, so
 * `cat a.gz b.gz` is refused too).
 */
export async function gunzip(bytes: Uint8Array, fileName: string): Promise<Uint8Array> {
  try {
    const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream()
      .pipeThrough(new DecompressionStream("gzip"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new DatasetError(
      fileName,
      [{
        file: fileName,
        expected: "one complete gzip stream",
        message:
          `${fileName}: the gzip data are corrupt, cut short or followed by more bytes (${why}), expected one complete gzip stream`,
      }],
      1,
      { cause: error },
    );
  }
}

/**
 * Decodes a file's bytes: gzip data (by their magic bytes) are decompressed
 * first; a name ending in `.gz` whose bytes are not gzip is refused.
 */
export async function decodeBytes(bytes: Uint8Array, fileName: string): Promise<string> {
  if (isGzip(bytes)) return decodeUtf8(await gunzip(bytes, fileName), fileName);
  if (/\.gz$/i.test(fileName)) {
    throw new DatasetError(fileName, [{
      file: fileName,
      expected: "gzip data (the name ends in .gz)",
      message:
        `${fileName}: the bytes are not gzip data, expected gzip data (the name ends in .gz)`,
    }]);
  }
  return decodeUtf8(bytes, fileName);
}

async function readUrl(where: string, url: URL): Promise<Uint8Array> {
  if (url.protocol === "file:") return await readPath(where, url);
  if (url.protocol === "http:" || url.protocol === "https:") {
    const response = await fetch(url);
    if (!response.ok) {
      await response.body?.cancel();
      throw new Deno.errors.NotFound(
        `${where}: cannot fetch "${url.href}", expected an HTTP 200 reply (got ${response.status})`,
      );
    }
    return new Uint8Array(await response.arrayBuffer());
  }
  throw new TypeError(
    `${where}: invalid source URL "${url.href}", expected a file:, http: or https: URL`,
  );
}

/**
 * Reads a file, turning the everyday mistakes into one-line errors of the
 * same Deno class that name the path and what was expected: no such file, a
 * folder, no permission.
 */
export async function readPath(where: string, path: string | URL): Promise<Uint8Array> {
  try {
    return await Deno.readFile(path);
  } catch (error) {
    throw explainReadError(where, path, error);
  }
}

/**
 * The one-line error for a failed read of `path` (the original as its
 * cause); `what` is what the file should have been.
 */
export function explainReadError(
  where: string,
  path: string | URL,
  error: unknown,
  what = "dataset file",
): unknown {
  const name = typeof path === "string" ? path : decodeURIComponent(path.pathname);
  const options = { cause: error };
  if (error instanceof Deno.errors.NotFound) {
    return new Deno.errors.NotFound(
      `${where}: cannot read "${name}": no such file, expected an existing ${what}${
        what === "dataset file" ? " (a string with a line break is read as dataset text)" : ""
      }`,
      options,
    );
  }
  if (error instanceof Deno.errors.IsADirectory) {
    return new Deno.errors.IsADirectory(
      `${where}: cannot read "${name}": it is a folder, expected a ${what}${
        what === "dataset file"
          ? ` (a dataset folder's runs are in "${name.replace(/\/+$/, "")}/runs.csv")`
          : ""
      }`,
      options,
    );
  }
  if (error instanceof Deno.errors.PermissionDenied) {
    return new Deno.errors.PermissionDenied(
      `${where}: cannot read "${name}": permission denied, expected a ${what} this user may read`,
      options,
    );
  }
  if (error instanceof Deno.errors.NotCapable) {
    return new Deno.errors.NotCapable(
      `${where}: cannot read "${name}": Deno's read permission is not granted, expected --allow-read`,
      options,
    );
  }
  return error;
}

/** Reads a source into text. */
export async function readSource(
  where: string,
  source: Source,
  fileName: string | undefined,
): Promise<SourceText> {
  if (source instanceof Uint8Array) {
    const name = fileName ?? "<bytes>";
    return { text: await decodeBytes(source, name), fileName: name, location: undefined };
  }
  if (source instanceof URL) {
    const name = fileName ?? baseName(source.pathname);
    return {
      text: await decodeBytes(await readUrl(where, source), name),
      fileName: name,
      location: source,
    };
  }
  if (typeof source !== "string") {
    throw new TypeError(
      `${where}: invalid source, expected a path, URL, text or Uint8Array (got ${
        source === null ? "null" : typeof source
      })`,
    );
  }
  if (isText(source)) return { text: source, fileName: fileName ?? "<text>", location: undefined };
  const name = fileName ?? baseName(source);
  const url = fileUrl(source);
  return {
    text: await decodeBytes(await readPath(where, source), name),
    fileName: name,
    location: url,
  };
}

/** The `file:` URL of a path, relative to the working folder (`#`, `?` and `%` kept as written). */
export function fileUrl(path: string): URL {
  return pathToFileURL(path);
}

/**
 * The sidecar rule, the one every loader follows: the metadata of a dataset
 * file are in `<name>.meta.json` beside it (`runs.meta.json` for
 * `runs.csv`), else in `<folder>.meta.json` named after its folder (what
 * the collector writes: `qemu-tcg-1gbit/qemu-tcg-1gbit.meta.json`).
 * Returns the candidates in that order.
 */
export function sidecarCandidates(location: URL): URL[] {
  const own = new URL(location.href);
  own.pathname = own.pathname.replace(/(\.[^./]+)?(\.gz)?$/i, ".meta.json");
  const parts = location.pathname.split("/");
  const folder = parts.length >= 3 ? parts[parts.length - 2] : undefined;
  if (!folder) return [own];
  const named = new URL(location.href);
  named.pathname = [...parts.slice(0, -1), `${folder}.meta.json`].join("/");
  return named.href === own.href ? [own] : [own, named];
}

/** Reads the first sidecar of a dataset file that exists (see {@linkcode sidecarCandidates}). */
export async function findSidecar(where: string, location: URL): Promise<SourceText | undefined> {
  for (const url of sidecarCandidates(location)) {
    const sidecar = await readSidecar(where, url);
    if (sidecar !== undefined) return sidecar;
  }
  return undefined;
}

/** Reads a sidecar if it exists; `undefined` when it does not. */
export async function readSidecar(where: string, url: URL): Promise<SourceText | undefined> {
  let bytes: Uint8Array;
  if (url.protocol === "file:") {
    try {
      bytes = await Deno.readFile(url);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return undefined;
      throw explainReadError(where, url, error, "metadata file (JSON)");
    }
  } else if (url.protocol === "http:" || url.protocol === "https:") {
    const response = await fetch(url);
    if (response.status === 404) {
      await response.body?.cancel();
      return undefined;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new Deno.errors.NotFound(
        `${where}: cannot fetch "${url.href}", expected an HTTP 200 reply (got ${response.status})`,
      );
    }
    bytes = new Uint8Array(await response.arrayBuffer());
  } else return undefined;
  const name = baseName(url.pathname);
  return { text: decodeUtf8(bytes, name), fileName: name, location: url };
}
