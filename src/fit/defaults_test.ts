import assert from "node:assert/strict";
import { DEFAULT_FOLDS, DEFAULT_RESAMPLES, DEFAULT_SEED, INTERVAL_LEVEL } from "./defaults.ts";

const DEFAULTS: Record<string, number> = {
  DEFAULT_FOLDS,
  DEFAULT_RESAMPLES,
  DEFAULT_SEED,
  INTERVAL_LEVEL,
};

Deno.test("the fit defaults are values the fits accept", () => {
  assert.ok(Number.isInteger(DEFAULT_RESAMPLES) && DEFAULT_RESAMPLES >= 1, "resamples");
  assert.ok(Number.isInteger(DEFAULT_FOLDS) && DEFAULT_FOLDS >= 2, "folds");
  assert.ok(Number.isInteger(DEFAULT_SEED) && DEFAULT_SEED >= 0, "seed");
  assert.ok(INTERVAL_LEVEL > 0 && INTERVAL_LEVEL < 1, "level");
  // The bootstrap's tails at 2.5 % and 97.5 % need at least 40 resamples to differ from the ends.
  assert.ok(DEFAULT_RESAMPLES * (1 - INTERVAL_LEVEL) / 2 >= 1, "resamples for the level");
});

/** Every `.ts` file under `dir`, as paths relative to the checkout. */
async function sourceFiles(dir: URL, prefix: string): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isDirectory) {
      out.push(...await sourceFiles(new URL(`${entry.name}/`, dir), `${prefix}${entry.name}/`));
    } else if (entry.name.endsWith(".ts") && !entry.name.endsWith("_test.ts")) {
      out.push(`${prefix}${entry.name}`);
    }
  }
  return out;
}

Deno.test("every option doc that names a fit default gives its value", async () => {
  // The two forms in use: `@default {200} (`DEFAULT_RESAMPLES`)` and
  // `@default {DEFAULT_RESAMPLES (200)}`. A doc copied by hand drifts when the constant changes.
  const root = new URL("../../", import.meta.url);
  const forms = [
    /@default \{([^}]*)\} \(`([A-Z_]+)`\)/g,
    /@default \{([A-Z_]+) \(([^)]*)\)\}/g,
  ];
  const seen = new Set<string>();
  const wrong: string[] = [];
  for (const folder of ["src/", "scripts/", "bench/"]) {
    for (const path of await sourceFiles(new URL(folder, root), folder)) {
      const text = await Deno.readTextFile(new URL(path, root));
      for (const [index, form] of forms.entries()) {
        for (const match of text.matchAll(form)) {
          const [name, shown] = index === 0 ? [match[2]!, match[1]!] : [match[1]!, match[2]!];
          if (!(name in DEFAULTS)) continue;
          seen.add(name);
          if (Number(shown) !== DEFAULTS[name]) {
            wrong.push(`${path}: ${match[0]} (${name} is ${DEFAULTS[name]})`);
          }
        }
      }
    }
  }
  assert.deepEqual(wrong, []);
  // The scan found the docs (so an empty list above means they agree, not that none were read).
  for (const name of ["DEFAULT_FOLDS", "DEFAULT_RESAMPLES", "DEFAULT_SEED"]) {
    assert.ok(seen.has(name), `no option doc names ${name}`);
  }
});
