// Sizes that cannot rot (issue #12, item 3): no function in src/ over 120
// lines and no file in src/ over 450. Function extents come from the
// TypeScript compiler's parser: function declarations, function expressions,
// arrow functions, methods, accessors and constructors, each counted on its
// own (a nested function counts in its parent too, and again by itself). A
// function's lines run from its first token to its last, its leading JSDoc
// left out; a file's lines are all its lines.
//
// The rule covers the non-test source only: a test file's `Deno.test` callback
// is a list of cases grouped with `t.step`, and its length says how many cases
// there are, not how hard the code is to read. Test files keep the file limit.
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { tsFiles } from "./_imports.ts";

const rootPath = fileURLToPath(new URL("../", import.meta.url));

/** The most lines a function in src/ may have. */
const MAX_FUNCTION_LINES = 120;
/** The most lines a file in src/ may have. */
const MAX_FILE_LINES = 450;

/** One function's extent: where it is and how many lines it spans. */
interface FunctionExtent {
  path: string;
  name: string;
  line: number;
  lines: number;
}

function isTest(path: string): boolean {
  return path.endsWith("_test.ts") || /\/_test[\w]*\.ts$|\/_testing\.ts$/.test(path);
}

function nameOf(node: ts.FunctionLikeDeclaration, source: ts.SourceFile): string {
  if (node.name !== undefined) return node.name.getText(source);
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) {
    return parent.name.getText(source);
  }
  if (ts.isConstructorDeclaration(node)) return "constructor";
  return "(anonymous)";
}

function isFunctionLike(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) || ts.isMethodDeclaration(node) || ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node);
}

/** Every function in `text` (a file at `path`) with its line count, in source order. */
function functionExtents(path: string, text: string): FunctionExtent[] {
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const extents: FunctionExtent[] = [];
  const visit = (node: ts.Node): void => {
    if (isFunctionLike(node) && node.body !== undefined) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      extents.push({ path, name: nameOf(node, source), line: first + 1, lines: last - first + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return extents;
}

function lineCount(text: string): number {
  if (text === "") return 0;
  const lines = text.split("\n");
  return text.endsWith("\n") ? lines.length - 1 : lines.length;
}

const files = tsFiles(rootPath, "src").map((path) => ({
  path,
  text: Deno.readTextFileSync(`${rootPath}${path}`),
}));

Deno.test("functionExtents() counts declarations, expressions, arrows and methods, nested on their own", () => {
  const text = [
    "/** Docs are not counted. */",
    "export function outer(): number {",
    "  const inner = (x: number): number => {",
    "    return x + 1;",
    "  };",
    "  return inner(1);",
    "}",
    "const object = { method() { return 1; }, expression: function () {",
    "  return 2;",
    "} };",
    "declare function bodiless(): void;",
  ].join("\n");
  assert.deepEqual(
    functionExtents("example.ts", text).map(({ name, line, lines }) => [name, line, lines]),
    [["outer", 2, 6], ["inner", 3, 3], ["method", 8, 1], ["expression", 8, 3]],
  );
});

Deno.test("lineCount() counts lines with or without a final newline", () => {
  assert.equal(lineCount("a\nb\n"), 2);
  assert.equal(lineCount("a\nb"), 2);
  assert.equal(lineCount(""), 0);
});

Deno.test(`no function in src/ (outside tests) is over ${MAX_FUNCTION_LINES} lines`, () => {
  const extents = files.filter(({ path }) => !isTest(path))
    .flatMap(({ path, text }) => functionExtents(path, text));
  assert.ok(
    extents.length > 500,
    `size_test: expected the functions of src/ (got ${extents.length})`,
  );
  const longest = extents.reduce((a, b) => (b.lines > a.lines ? b : a));
  console.log(
    `longest function: ${longest.name} (${longest.path}:${longest.line}), ${longest.lines} lines`,
  );
  const over = extents.filter(({ lines }) => lines > MAX_FUNCTION_LINES)
    .map(({ path, name, line, lines }) => `${path}:${line} ${name}: ${lines} lines`);
  assert.deepEqual(over, [], `functions over ${MAX_FUNCTION_LINES} lines:\n${over.join("\n")}`);
});

Deno.test(`no file in src/ is over ${MAX_FILE_LINES} lines`, () => {
  assert.ok(files.length > 100, `size_test: expected the files of src/ (got ${files.length})`);
  const sizes = files.map(({ path, text }) => ({ path, lines: lineCount(text) }));
  const largest = sizes.reduce((a, b) => (b.lines > a.lines ? b : a));
  console.log(`largest file: ${largest.path}, ${largest.lines} lines`);
  const over = sizes.filter(({ lines }) => lines > MAX_FILE_LINES)
    .map(({ path, lines }) => `${path}: ${lines} lines`);
  assert.deepEqual(over, [], `files over ${MAX_FILE_LINES} lines:\n${over.join("\n")}`);
});
