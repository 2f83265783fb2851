// Private: writes values as gzipped JSON Lines, atomically.

import { writeBytesAtomic } from "./write_text_atomic.ts";

/** Writes one JSON line per value to `path`, gzipped, atomically. */
export async function gzipJsonLines(path: string, values: readonly unknown[]): Promise<void> {
  const text = values.map((value) => JSON.stringify(value)).join("\n") + "\n";
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  await writeBytesAtomic(path, new Uint8Array(await new Response(stream).arrayBuffer()));
}
