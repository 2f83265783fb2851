// The module specifiers a TypeScript file imports, for the layering and
// import-from-anywhere tests: static imports and re-exports (type-only ones
// too), side-effect imports and dynamic imports with a string literal.
// Comment blocks that start a line (JSDoc, with its import examples) and line
// comments that start a line are skipped.

/** One import of a file: the specifier as written and whether it is type-only. */
export interface ImportRecord {
  specifier: string;
  typeOnly: boolean;
}

const BLOCK_COMMENT = /^[ \t]*\/\*[\s\S]*?\*\//gm;
const LINE_COMMENT = /^[ \t]*\/\/.*$/gm;
const STATIC =
  /^[ \t]*(?:import|export)\s+(type\s+)?(?:[\w*\s{},$]*?\s+from\s+|(?=["']))["']([^"']+)["']/gm;
const DYNAMIC = /\bimport\(\s*["']([^"']+)["']\s*[,)]/g;

/** The imports of a file's text, in order of appearance (static first, then dynamic). */
export function importsOf(text: string): ImportRecord[] {
  const code = text.replace(BLOCK_COMMENT, "").replace(LINE_COMMENT, "");
  const records: ImportRecord[] = [];
  for (const match of code.matchAll(STATIC)) {
    records.push({ specifier: match[2]!, typeOnly: match[1] !== undefined });
  }
  for (const match of code.matchAll(DYNAMIC)) {
    records.push({ specifier: match[1]!, typeOnly: false });
  }
  return records;
}

/** Every `.ts` file under `folder` (recursively), as paths from the checkout's root, sorted. */
export function tsFiles(rootPath: string, folder: string): string[] {
  const files: string[] = [];
  for (const entry of Deno.readDirSync(`${rootPath}${folder}`)) {
    const path = `${folder}/${entry.name}`;
    if (entry.isDirectory) files.push(...tsFiles(rootPath, path));
    else if (entry.isFile && entry.name.endsWith(".ts")) files.push(path);
  }
  return files.sort();
}
