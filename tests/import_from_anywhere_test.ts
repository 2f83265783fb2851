// mod.ts and every subpath entry point of deno.json, imported by absolute
// file URL from a script in a fresh temporary folder, run without any
// configuration (`deno run --no-config`, no deno.json or import map above
// it): a bare specifier such as "mathjs" in the source fails the import
// ('Import "mathjs" not a dependency'). The script runs a model, loadRuns on
// a small CSV and, with permissions for resvg, a PNG render; its results must
// equal the same calls made here, inside the checkout.
import assert from "node:assert/strict";
import { kvmPostcopy, parseRuns, xenPrecopy } from "../mod.ts";

const root = new URL("../", import.meta.url);
const config = JSON.parse(Deno.readTextFileSync(new URL("deno.json", root)));
const entries = Object.entries(config.exports as Record<string, string>);

const CSV = [
  "method,contention,memory_bytes,wss_mib,dirty_pages_per_second,migration_time_seconds",
  "xen-precopy,none,1073741824,256,5120,9.5",
  "kvm-postcopy,cpu,1073741824,full,15360,8.75",
].join("\n") + "\n";

const INPUT = {
  memoryBytes: 2 ** 30,
  wssBytes: 2 ** 28,
  dirtyPagesPerSecond: 5120,
  bandwidthBytesPerSecond: 125e6,
};

function scriptText(): string {
  const imports = entries.map(([, file], i) =>
    `import * as entry${i} from ${JSON.stringify(new URL(file, root).href)};`
  );
  return `${imports.join("\n")}
const root = entry0;
const subpaths = ${JSON.stringify(entries.map(([subpath]) => subpath))};
const modules = [${entries.map((_, i) => `entry${i}`).join(", ")}];
const input = ${JSON.stringify(INPUT)};
const { runs } = await root.loadRuns(Deno.args[0]);
const result = {
  exports: Object.fromEntries(subpaths.map((s, i) => [s, Object.keys(modules[i]).sort()])),
  xenSeconds: root.xenPrecopy(input).migrationTimeSeconds,
  postcopySeconds: root.kvmPostcopy(input).migrationTimeSeconds,
  runs: runs.map((r) => [r.method, r.wssBytes, r.migrationTimeSeconds]),
};
if (Deno.args[1] === "png") {
  const png = root.render({
    title: "From anywhere", subtitle: "", caption: "", legends: [], widthPixels: 200,
    panels: [{ name: "main", plot: { width: 200, height: 100, marks: [] } }],
  }, { format: "png" });
  result.pngHead = [...png.slice(0, 8)];
}
console.log(JSON.stringify(result));
`;
}

async function runOutside(dir: string, args: string[], permissions: string[]) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-config", ...permissions, "script.ts", ...args],
    cwd: dir,
    env: { DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(output.stderr);
  assert.equal(
    output.code,
    0,
    `import_from_anywhere_test: the script outside the checkout failed:\n${stderr}`,
  );
  assert.doesNotMatch(stderr, /not a dependency/);
  return JSON.parse(new TextDecoder().decode(output.stdout));
}

Deno.test({
  name: "mod.ts and every subpath import by path from a folder without deno.json",
  sanitizeResources: false,
  fn: async (t) => {
    const dir = await Deno.makeTempDir({ prefix: "import_from_anywhere_" });
    try {
      assert.ok(entries.length >= 7, "deno.json lists the root and the layers' entry points");
      await Deno.writeTextFile(`${dir}/script.ts`, scriptText());
      await Deno.writeTextFile(`${dir}/runs.csv`, CSV);
      const expectedExports = Object.fromEntries(
        await Promise.all(entries.map(async ([subpath, file]) => {
          const module = await import(new URL(file, root).href);
          return [subpath, Object.keys(module).sort()];
        })),
      );
      const expectedRuns = parseRuns(CSV).runs.map((r) => [
        r.method,
        r.wssBytes,
        r.migrationTimeSeconds,
      ]);

      await t.step(
        "with read access to its folder only (no --allow-ffi, --allow-sys)",
        async () => {
          const result = await runOutside(dir, ["runs.csv"], [`--allow-read=${dir}`]);
          assert.deepEqual(result.exports, expectedExports);
          assert.equal(result.xenSeconds, xenPrecopy(INPUT).migrationTimeSeconds);
          assert.equal(result.postcopySeconds, kvmPostcopy(INPUT).migrationTimeSeconds);
          assert.deepEqual(result.runs, expectedRuns);
          assert.equal(result.runs.length, 2);
        },
      );

      await t.step("with every permission, a PNG through the lazily loaded resvg", async () => {
        const result = await runOutside(dir, ["runs.csv", "png"], ["--allow-all"]);
        assert.deepEqual(result.pngHead, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      });
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
