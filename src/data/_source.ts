// Private: the I/O edge of the loaders. Turns a source (path, URL, text or
// bytes) into text and a name for messages, and finds a dataset's sidecar.

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

/** Decodes UTF-8 bytes, keeping a byte order mark for the parser to report. */
export function decodeUtf8(bytes: Uint8Array, fileName: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new DatasetError(fileName, [{
      file: fileName,
      expected: "UTF-8 text",
      message:
        `${fileName}: the bytes are not UTF-8 text, expected UTF-8 text (save the file as UTF-8)`,
    }]);
  }
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

async function readPath(where: string, path: string | URL): Promise<Uint8Array> {
  try {
    return await Deno.readFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      const name = typeof path === "string" ? path : path.href;
      throw new Deno.errors.NotFound(
        `${where}: cannot read "${name}", expected an existing file (dataset text needs a line break)`,
        { cause: error },
      );
    }
    throw error;
  }
}

/** Reads a source into text. */
export async function readSource(
  where: string,
  source: Source,
  fileName: string | undefined,
): Promise<SourceText> {
  if (source instanceof Uint8Array) {
    const name = fileName ?? "<bytes>";
    return { text: decodeUtf8(source, name), fileName: name, location: undefined };
  }
  if (source instanceof URL) {
    const name = fileName ?? baseName(source.pathname);
    return {
      text: decodeUtf8(await readUrl(where, source), name),
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
  const url = new URL(source, `file://${Deno.cwd()}/`);
  return { text: decodeUtf8(await readPath(where, source), name), fileName: name, location: url };
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
  own.pathname = own.pathname.replace(/(\.[^./]+)?$/, ".meta.json");
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
      throw error;
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
