// Every committed dataset folder has one metadata sidecar: loadRuns takes `runs.meta.json`
// before `<folder>.meta.json`, so a second, older copy beside the collector's would silently
// become the dataset's provenance (as a stale `runs.meta.json` did until 2026-12-02).
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

const dataPath = fileURLToPath(new URL("../data/", import.meta.url));

async function* folders(path: string): AsyncGenerator<string> {
  yield path;
  for await (const entry of Deno.readDir(path)) {
    if (entry.isDirectory && entry.name !== "traces") yield* folders(`${path}/${entry.name}`);
  }
}

Deno.test("no dataset folder under data/ holds two metadata sidecars", async () => {
  const doubled: string[] = [];
  for await (const folder of folders(dataPath.replace(/\/$/, ""))) {
    const name = folder.split("/").pop()!;
    const names = new Set<string>();
    for await (const entry of Deno.readDir(folder)) if (entry.isFile) names.add(entry.name);
    for (const runs of [...names].filter((n) => /^[^.]+\.(csv|csv\.gz)$/.test(n))) {
      const own = runs.replace(/\.csv(\.gz)?$/, ".meta.json");
      if (own !== `${name}.meta.json` && names.has(own) && names.has(`${name}.meta.json`)) {
        doubled.push(`${folder}: ${own} and ${name}.meta.json`);
      }
    }
  }
  assert.deepEqual(doubled, []);
});
