// Every public file in src/ has its test beside it (issue #12, item 5). A public file is one
// whose name does not start with `_`, that is not a `mod.ts` (re-exports only) and that is not
// under a private folder (`src/_deps/`) or `testdata/`. Its test is `x_test.ts` beside `x.ts`,
// with at least one `Deno.test`. Exempt: a file that holds only types (read here: nothing but
// `type`, `interface`, `import type` and re-exports once comments are gone), and the short
// ALLOWED list below, whose entries name the tests that cover the file under another name.
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { tsFiles } from "./_imports.ts";

const rootPath = fileURLToPath(new URL("../", import.meta.url));

/**
 * Public files tested under another name: the file, and the test files that exercise it (each
 * must exist and name the file). Keep it short; an entry is a test beside the file not written.
 */
const ALLOWED: Record<string, readonly string[]> = {
  // From the figs-costs branch: tested only through the analysis tests that build their figures
  // (each test below imports the file). A test beside each is still owed; remove the entry then.
  "src/analysis/cost_figures.ts": ["src/analysis/workload_costs_test.ts"],
  "src/analysis/workload_models.ts": ["src/analysis/workload_costs_test.ts"],
  "src/plot/figure_cpu_use_spec.ts": ["src/analysis/cpu_use_test.ts"],
  "src/plot/figure_decision_limits_spec.ts": ["src/analysis/measured_limits_test.ts"],
  "src/plot/figure_workload_cost_spec.ts": ["src/analysis/workload_costs_test.ts"],
};

/** Whether a path from the checkout's root is a public source file of src/. */
function isPublic(path: string): boolean {
  const parts = path.split("/");
  const name = parts.at(-1)!;
  if (name.startsWith("_") || name === "mod.ts" || name.endsWith("_test.ts")) return false;
  return !parts.slice(1, -1).some((folder) => folder.startsWith("_") || folder === "testdata");
}

/**
 * The code with comments removed and the text of every string literal emptied (template
 * literals keep their `${...}` code), so that braces and semicolons are the code's own.
 */
function codeOnly(text: string): string {
  let out = "";
  let i = 0;
  // For each open template literal, the brace depth of its `${` that we are inside.
  const templates: number[] = [];
  let depth = 0;
  const inTemplate = () => templates.length > 0 && templates.at(-1) === -1;
  while (i < text.length) {
    const c = text[i]!;
    const next = text[i + 1];
    if (inTemplate()) {
      if (c === "\\") i += 2;
      else if (c === "`") {
        templates.pop();
        out += "`";
        i++;
      } else if (c === "$" && next === "{") {
        templates[templates.length - 1] = depth;
        depth++;
        out += "${";
        i += 2;
      } else i++;
      continue;
    }
    if (c === "/" && next === "/") {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (c === "/" && next === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end === -1 ? text.length : end + 2;
      out += " ";
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== c && text[j] !== "\n") j += text[j] === "\\" ? 2 : 1;
      out += `${c}${c}`;
      i = j + 1;
    } else if (c === "`") {
      templates.push(-1);
      out += "`";
      i++;
    } else {
      if (c === "{") depth++;
      if (c === "}") {
        depth--;
        if (templates.length > 0 && templates.at(-1) === depth) {
          templates[templates.length - 1] = -1;
          out += "}";
          i++;
          continue;
        }
      }
      out += c;
      i++;
    }
  }
  return out;
}

/** Statements that declare only types, and whether each ends at its block's `}` or at `;`. */
const TYPE_STATEMENTS: readonly [RegExp, "block" | "semicolon"][] = [
  [/^(?:export\s+)?(?:declare\s+)?interface\b/, "block"],
  [/^(?:export\s+)?(?:declare\s+)?type\s+[\w$]/, "semicolon"],
  [/^import\s+type\b/, "semicolon"],
  [/^import\s*\{\s*(?:type\s+[\w$]+(?:\s+as\s+[\w$]+)?\s*,?\s*)*\}\s*from\b/, "semicolon"],
  [/^export\s+(?:type\s+)?(?:\{|\*)/, "semicolon"],
];

/**
 * The first statement of a file that does something at run time (its first line, at most 60
 * characters, strings emptied), or
 * undefined when the file holds only types, interfaces, type imports and re-exports.
 */
function runtimeStatement(text: string): string | undefined {
  const code = codeOnly(text);
  let i = 0;
  while (i < code.length) {
    while (i < code.length && /[\s;]/.test(code[i]!)) i++;
    if (i >= code.length) return undefined;
    const head = code.slice(i, i + 200);
    const kind = TYPE_STATEMENTS.find(([pattern]) => pattern.test(head))?.[1];
    if (kind === undefined) return head.split(/[;\n]/)[0]!.slice(0, 60).trim();
    let depth = 0;
    let opened = false;
    for (; i < code.length; i++) {
      const c = code[i]!;
      if (c === "{" || c === "(" || c === "[") [depth, opened] = [depth + 1, opened || c === "{"];
      else if (c === "}" || c === ")" || c === "]") depth--;
      if (depth > 0) continue;
      if (kind === "semicolon" && c === ";") break;
      if (kind === "block" && opened && c === "}") break;
    }
    i++;
  }
  return undefined;
}

Deno.test("runtimeStatement() tells a file of types from a file with code", async (t) => {
  await t.step("types, interfaces, type imports and re-exports only", () => {
    const text = [
      "/** Docs with code: `const x = 1;` {",
      " * @example",
      " * ```ts",
      " * const y = f();",
      " * ```",
      " */",
      'import type { A } from "./a.ts";',
      'import { type B, type C as D } from "./b.ts";',
      "// const z = 2;",
      "export type Unit = `${number} MiB` | 'a;b' | \"}\";",
      'export type Shape = { kind: "a"; size: number } | { kind: "b"; f: (x: number) => void };',
      "interface Private { a: { b: string[] }; c?: Record<string, { d: 1 }> }",
      "export interface Options extends Private {",
      "  /** @default {1} */",
      "  level?: number;",
      "}",
      'export type { Options as Other } from "./c.ts";',
      'export * from "./d.ts";',
      "",
    ].join("\n");
    assert.equal(runtimeStatement(text), undefined);
  });
  await t.step("a constant after the types", () => {
    const text = "export interface A { x: number }\n\nexport const METHODS: readonly A[] = [];\n";
    assert.equal(runtimeStatement(text), "export const METHODS: readonly A[] = []");
  });
  await t.step("a function, a class, an enum, a plain import", () => {
    assert.equal(runtimeStatement("export function f() {}\nf();"), "export function f() {}");
    assert.equal(runtimeStatement("type T = 1;\nclass K {}"), "class K {}");
    assert.equal(runtimeStatement("export enum E { A }"), "export enum E { A }");
    assert.equal(runtimeStatement('import { x } from "./x.ts";'), 'import { x } from ""');
  });
  await t.step("code after a template literal type with braces", () => {
    const text = "type T = `${'{'}x`;\nlet y = 1;";
    assert.equal(runtimeStatement(text), "let y = 1");
  });
});

/** Why a public file fails: it has no test beside it, or its allowance does not hold. */
function problemOf(path: string, files: ReadonlySet<string>): string | undefined {
  const test = path.replace(/\.ts$/, "_test.ts");
  if (files.has(test)) {
    const text = Deno.readTextFileSync(`${rootPath}${test}`);
    return /\bDeno\.test\(/.test(text) ? undefined : `${test} has no Deno.test`;
  }
  const allowed = ALLOWED[path];
  if (allowed !== undefined) {
    const name = path.split("/").at(-1)!;
    const broken = allowed.filter((other) =>
      !files.has(other) || !Deno.readTextFileSync(`${rootPath}${other}`).includes(name)
    );
    return broken.length === 0
      ? undefined
      : `${path}: ALLOWED names ${
        broken.join(", ")
      }, which does not exist or does not name ${name}`;
  }
  const code = runtimeStatement(Deno.readTextFileSync(`${rootPath}${path}`));
  return code === undefined ? undefined : `${path} has no ${test} (it holds code: ${code})`;
}

Deno.test("every public file in src/ has its test beside it", () => {
  const files = new Set(tsFiles(rootPath, "src"));
  const publicFiles = [...files].filter(isPublic);
  assert.ok(publicFiles.length > 50, `only ${publicFiles.length} public files found in src/`);
  const problems = publicFiles.map((path) => problemOf(path, files)).filter((p) => p !== undefined);
  assert.deepEqual(problems, [], `public files without a test:\n${problems.join("\n")}`);
});

Deno.test("every ALLOWED entry is a public file of src/ that still exists", () => {
  const files = new Set(tsFiles(rootPath, "src"));
  for (const path of Object.keys(ALLOWED)) {
    assert.ok(files.has(path), `ALLOWED names ${path}, which is not in src/: remove the entry`);
    assert.ok(
      isPublic(path),
      `ALLOWED names ${path}, which is not a public file: remove the entry`,
    );
  }
});

Deno.test("isPublic() leaves out private files, mod.ts, tests, _deps and testdata", () => {
  assert.ok(isPublic("src/models/xen_precopy.ts"));
  assert.ok(isPublic("src/units.ts"));
  assert.ok(!isPublic("src/models/_xen_rounds.ts"));
  assert.ok(!isPublic("src/models/mod.ts"));
  assert.ok(!isPublic("src/models/xen_precopy_test.ts"));
  assert.ok(!isPublic("src/_deps/plot.ts"));
  assert.ok(!isPublic("src/cli/testdata/tiny_command.ts"));
});
