/**
 * Writes a text file atomically: the text goes to a temporary file in the same
 * directory, which is then renamed over the target, so a reader (or a
 * collector killed mid-write) sees either the old file or the new one, never a
 * half-written one.
 *
 * @param path The file to write.
 * @param text The whole new content.
 * @returns Resolves when the file is in place.
 * @throws {Deno.errors.NotFound} If the directory does not exist.
 *
 * @example Replace a file
 * ```ts
 * import { writeTextAtomic } from "./write_text_atomic.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await writeTextAtomic(`${dir}/runs.csv`, "a\n1\n");
 * await writeTextAtomic(`${dir}/runs.csv`, "a\n2\n");
 * assert.equal(await Deno.readTextFile(`${dir}/runs.csv`), "a\n2\n");
 * assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["runs.csv"]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function writeTextAtomic(path: string, text: string): Promise<void> {
  return writeBytesAtomic(path, new TextEncoder().encode(text));
}

/**
 * Writes a file atomically, as {@linkcode writeTextAtomic} does for text.
 *
 * @param path The file to write.
 * @param bytes The whole new content.
 * @returns Resolves when the file is in place.
 * @throws {Deno.errors.NotFound} If the directory does not exist.
 *
 * @example Write bytes
 * ```ts
 * import { writeBytesAtomic } from "./write_text_atomic.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await writeBytesAtomic(`${dir}/x.bin`, new Uint8Array([1, 2, 3]));
 * assert.deepEqual(await Deno.readFile(`${dir}/x.bin`), new Uint8Array([1, 2, 3]));
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeBytesAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const slash = path.lastIndexOf("/");
  const dir = slash >= 0 ? path.slice(0, slash) || "/" : ".";
  const name = slash >= 0 ? path.slice(slash + 1) : path;
  const temp = `${dir}/.${name}.${Deno.pid}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  try {
    const file = await Deno.open(temp, { write: true, createNew: true });
    try {
      let written = 0;
      while (written < bytes.length) written += await file.write(bytes.subarray(written));
      await file.sync();
    } finally {
      file.close();
    }
    await Deno.rename(temp, path);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
}
