// The layering of src/ (README "Layout"): which layer may import which, that
// the non-test source names its npm packages only in src/_deps/ and with full
// pinned specifiers, and that the root mod.ts re-exports only the layers'
// mod.ts files. A file that imports against the direction fails here.
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { importsOf, tsFiles } from "./_imports.ts";

const rootPath = fileURLToPath(new URL("../", import.meta.url));

/**
 * The layers of src/ and what each may import, besides itself. "base" is the
 * files directly in src/ (units, _validate, _stats) and the pinned packages
 * of src/_deps/; it imports no layer.
 */
const LAYERS: Record<string, readonly string[]> = {
  base: [],
  models: ["base"],
  data: ["base"],
  fit: ["base", "models", "data"],
  plot: ["base", "data", "fit", "plans"],
  analysis: ["base", "models", "data", "fit", "plot"],
  collect: ["base", "data"],
  // Arriving from other branches (add them to README "Layout" when they land): migration plans
  // compute with the models and fits; the command-line layer is above every other.
  plans: ["base", "models", "data", "fit"],
  cli: ["base", "models", "data", "fit", "plot", "analysis", "collect", "plans"],
};

/**
 * Imports of another layer's private (`_name.ts`) files, as they stand: a
 * layer should use another's public files only. This list may shrink; a new
 * entry is a new crossing to avoid.
 */
const PRIVATE_CROSSINGS: ReadonlySet<string> = new Set([
  "src/analysis/_analyze.ts -> src/plot/_style.ts",
  "src/analysis/_fit_methods.ts -> src/plot/_style.ts",
  "src/analysis/reproduction_report.ts -> src/plot/_style.ts",
  "src/collect/parse_runs_csv.ts -> src/data/_delimited.ts",
  "src/collect/parse_runs_csv.ts -> src/data/_problems.ts",
  // The fit's hot path runs Xen's round kernel itself, without sweep()'s per-call checks and
  // arrays (bench/README.md, fit-1m); a public per-run kernel in models would remove this.
  "src/fit/_evaluate.ts -> src/models/_xen_rounds.ts",
  // Likewise sweep()'s column loops of the QEMU models (kvm-precopy, qemu-xen-rules), on a
  // batch's columns with the options resolved once (issue #13: reproduce's time).
  "src/fit/_evaluate.ts -> src/models/_sweep_run.ts",
]);

/**
 * Entry points that sit in a layer's folder but are a task's command line (`deno task collect`):
 * they belong to the cli layer, above every other.
 */
const ENTRY_POINTS: ReadonlyMap<string, string> = new Map([
  ["src/collect/main.ts", "cli"],
  // The concurrent mode's part of the same command line (--concurrent).
  ["src/collect/_concurrent_main.ts", "cli"],
]);

function layerOf(path: string): string {
  const entry = ENTRY_POINTS.get(path);
  if (entry !== undefined) return entry;
  const parts = path.split("/");
  if (parts.length === 2 || parts[1] === "_deps") return "base";
  return parts[1]!;
}

function isTest(path: string): boolean {
  return path.endsWith("_test.ts") || /\/_test[\w]*\.ts$|\/_testing\.ts$/.test(path);
}

function resolvePath(from: string, specifier: string): string {
  const url = new URL(specifier, `file:///${from}`);
  return url.pathname.slice(1);
}

const sources = tsFiles(rootPath, "src").filter((path) => !isTest(path));

Deno.test("importsOf() finds static, type-only, side-effect and dynamic imports, not comments", () => {
  const text = [
    "/**",
    " * @example",
    ' * import { a } from "./example.ts";',
    " */",
    '// import { b } from "./line_comment.ts";',
    'import { c, type D } from "./c.ts";',
    'import type { E } from "../e.ts";',
    "export {",
    "  f,",
    "  type G,",
    '} from "./f.ts";',
    'export * from "npm:pkg@1.0.0";',
    'import "npm:pkg@1.0.0/package.json" with { type: "json" };',
    'const h = await import("./h.ts");',
  ].join("\n");
  assert.deepEqual(importsOf(text), [
    { specifier: "./c.ts", typeOnly: false },
    { specifier: "../e.ts", typeOnly: true },
    { specifier: "./f.ts", typeOnly: false },
    { specifier: "npm:pkg@1.0.0", typeOnly: false },
    { specifier: "npm:pkg@1.0.0/package.json", typeOnly: false },
    { specifier: "./h.ts", typeOnly: false },
  ]);
});

Deno.test("src/ holds only the layers of the layering table", () => {
  assert.ok(
    sources.length > 50,
    `layers_test: expected the source files of src/ (got ${sources.length})`,
  );
  for (const path of sources) {
    const layer = layerOf(path);
    assert.ok(
      layer in LAYERS,
      `layers_test: ${path} is in layer "${layer}", which tests/layers_test.ts LAYERS does not list; add it with the layers it may import, and to README "Layout"`,
    );
  }
});

Deno.test("src/ imports only along the layers' direction", () => {
  const problems: string[] = [];
  const crossings = new Set<string>();
  for (const path of sources) {
    const layer = layerOf(path);
    const text = Deno.readTextFileSync(`${rootPath}${path}`);
    for (const { specifier } of importsOf(text)) {
      if (!specifier.startsWith(".")) continue;
      const target = resolvePath(path, specifier);
      if (!target.startsWith("src/")) {
        problems.push(
          `${path} imports ${target}, outside src/ (the root mod.ts is above every layer)`,
        );
        continue;
      }
      const targetLayer = layerOf(target);
      if (targetLayer === layer) continue;
      if (!LAYERS[layer]?.includes(targetLayer)) {
        problems.push(
          `${path} (layer ${layer}) imports ${target} (layer ${targetLayer}); ${layer} may import ${
            LAYERS[layer]?.join(", ") || "no layer"
          }`,
        );
      }
      const name = target.split("/").at(-1)!;
      if (targetLayer !== "base" && name.startsWith("_")) {
        const crossing = `${path} -> ${target}`;
        crossings.add(crossing);
        if (!PRIVATE_CROSSINGS.has(crossing)) {
          problems.push(`${path} imports ${target}, a private file of layer ${targetLayer}`);
        }
      }
    }
  }
  assert.deepEqual(problems, []);
});

Deno.test("src/ names npm packages only in src/_deps/, pinned, and nothing bare", () => {
  const problems: string[] = [];
  const versions = new Map<string, Set<string>>();
  for (const path of [...sources, "mod.ts"]) {
    const text = Deno.readTextFileSync(`${rootPath}${path}`);
    for (const { specifier } of importsOf(text)) {
      if (specifier.startsWith(".") || specifier.startsWith("node:")) continue;
      const pinned = /^npm:((?:@[\w.-]+\/)?[\w.-]+)@(\d+\.\d+\.\d+)(\/.*)?$/.exec(specifier);
      if (!pinned) {
        problems.push(
          `${path} imports "${specifier}", expected a relative path, node: or a pinned npm:pkg@x.y.z`,
        );
      } else if (!path.startsWith("src/_deps/")) {
        problems.push(`${path} imports "${specifier}", expected npm packages through src/_deps/`);
      } else {
        const seen = versions.get(pinned[1]!) ?? new Set();
        versions.set(pinned[1]!, seen.add(pinned[2]!));
      }
    }
  }
  for (const [name, seen] of versions) {
    if (seen.size > 1) problems.push(`src/_deps/ pins ${name} at ${[...seen].join(" and ")}`);
  }
  assert.deepEqual(problems, []);
  assert.ok(
    versions.size >= 5,
    `layers_test: expected src/_deps/ to pin the packages (got ${versions.size})`,
  );
});

Deno.test("mod.ts re-exports only the layers' mod.ts files and src/units.ts", () => {
  const config = JSON.parse(Deno.readTextFileSync(`${rootPath}deno.json`));
  const entries = new Set(Object.values(config.exports as Record<string, string>));
  const specifiers = importsOf(Deno.readTextFileSync(`${rootPath}mod.ts`)).map((r) => r.specifier);
  assert.ok(specifiers.length > 0);
  for (const specifier of specifiers) {
    assert.ok(
      entries.has(specifier),
      `mod.ts re-exports from "${specifier}", expected one of deno.json's exports (${
        [...entries].join(", ")
      })`,
    );
  }
  for (const [subpath, file] of Object.entries(config.exports as Record<string, string>)) {
    if (subpath === ".") continue;
    const text = Deno.readTextFileSync(`${rootPath}${file}`);
    assert.match(text, /@module/, `${file} (export "${subpath}") has no @module doc`);
    assert.match(text, /@example /, `${file} (export "${subpath}") has no titled @example`);
  }
});
