import assert from "node:assert/strict";
import { formatHelp } from "../src/cli/mod.ts";
import { REPRODUCE_COMMAND } from "./reproduce.ts";
import { runTask } from "./_task_testing.ts";

Deno.test("deno task reproduce --help prints the options and exits with 0", async () => {
  const { code, stdout, stderr } = await runTask("reproduce", ["--help"]);
  assert.equal(code, 0);
  assert.equal(stderr, "");
  assert.equal(stdout, formatHelp(REPRODUCE_COMMAND));
  assert.match(stdout, /\n {2}--data DATASET +one dataset instead of every data\/\*\/: a file/);
  assert.match(
    stdout,
    /\n {2}--out DIR +where the figures and report\.md go .*\(default out\/\)\n/,
  );
});

Deno.test("deno task reproduce refuses a mistake in one line, exit 2, before any work", async (t) => {
  const dir = await Deno.makeTempDir();
  const out = `${dir}/out`;
  try {
    await Deno.writeTextFile(`${dir}/file`, "");
    await Deno.mkdir(`${dir}/empty-folder`);
    const cases: [string, string[], string][] = [
      [
        "an unknown option",
        ["--bogus", "--out", out],
        'reproduce: unknown option "--bogus", expected one of --data, --out, --resamples, --synthetic, --help, --debug',
      ],
      [
        "--data on a path that does not exist",
        ["--data=/my/dir", "--out", out],
        'reproduce: invalid --data, expected a dataset file, or a folder holding runs.csv (got "/my/dir": no such file or folder)',
      ],
      [
        "--data on a folder without runs.csv",
        ["--out", out, "--data", `${dir}/empty-folder`],
        `reproduce: invalid --data, expected a dataset file, or a folder holding runs.csv (got "${dir}/empty-folder": a folder without runs.csv)`,
      ],
      [
        "--data without its value",
        ["--out", out, "--data"],
        "reproduce: option --data needs a value, expected a dataset file, or a folder holding runs.csv (got nothing)",
      ],
      [
        "--data followed by another option",
        ["--data", "--out", out],
        'reproduce: option --data needs a value, expected a dataset file, or a folder holding runs.csv (got the option "--out")',
      ],
      [
        "--out on a file",
        [`--out=${dir}/file`],
        `reproduce: invalid --out, expected a folder to write into (made if missing), not a file (got "${dir}/file": a file is in the way)`,
      ],
      [
        "a negative --resamples",
        ["--out", out, "--resamples", "-1"],
        'reproduce: invalid --resamples, expected an integer >= 0 (got "-1")',
      ],
      [
        "an argument",
        ["--out", out, "data/qemu-tcg-1gbit"],
        'reproduce: unexpected argument "data/qemu-tcg-1gbit", expected options only (see --help)',
      ],
      [
        "--data with --synthetic",
        ["--out", out, "--synthetic", "--data", "data/qemu-tcg-1gbit"],
        'reproduce: --data and --synthetic given together, expected one of them (got --data "data/qemu-tcg-1gbit")',
      ],
    ];
    for (const [name, args, message] of cases) {
      await t.step(name, async () => {
        assert.deepEqual(await runTask("reproduce", args), {
          code: 2,
          stdout: "",
          stderr: `${message}\n`,
        });
        // Refused before any work: nothing was written.
        await assert.rejects(() => Deno.stat(out), Deno.errors.NotFound);
      });
    }
    await t.step(
      "an empty dataset file: the loader's one line, exit 2, nothing written",
      async () => {
        const { code, stdout, stderr } = await runTask("reproduce", [
          "--data",
          `${dir}/file`,
          "--out",
          out,
        ]);
        assert.equal(code, 2);
        assert.equal(stdout, "");
        assert.match(stderr, /^[^\n]*file[^\n]*\n(?:[^\n]+\n)*$/);
        assert.doesNotMatch(stderr, /\n\s+at /);
        await assert.rejects(() => Deno.stat(out), Deno.errors.NotFound);
      },
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

const DATA = new URL("../data/qemu-tcg-1gbit/runs.csv", import.meta.url).pathname;

/** A copy of the project's measured grid with only the rows that pass `keep`. */
async function subset(path: string, keep: (row: string, i: number) => boolean): Promise<string[]> {
  const [header, ...rows] = (await Deno.readTextFile(DATA)).trim().split("\n");
  const kept = rows.filter(keep);
  await Deno.writeTextFile(path, [header, ...kept].join("\n") + "\n");
  return kept;
}

Deno.test("deno task reproduce fits what it can and never falls back to synthetic data", async (t) => {
  const dir = await Deno.makeTempDir();
  try {
    await t.step(
      "only post-copy runs: fits them, one line for the figure it cannot draw",
      async () => {
        const file = `${dir}/postcopy.csv`;
        await subset(file, (row) => row.startsWith("kvm-postcopy,"));
        const out = `${dir}/out-post`;
        const { code, stdout, stderr } = await runTask("reproduce", [
          "--data",
          file,
          "--out",
          out,
          "--resamples",
          "0",
        ]);
        assert.equal(code, 0, stderr);
        const lines = stderr.trimEnd().split("\n");
        assert.ok(
          lines.includes(
            "reproduce: fig5 not drawn: the data hold no pre-copy runs (xen-precopy, xen-precopy-policy, kvm-precopy)",
          ),
          stderr,
        );
        // Every stderr line is one skipped method or figure, and none is a stack trace.
        for (const line of lines) assert.match(line, /^reproduce: \S+ not (fitted|drawn): /);
        assert.match(stdout, /\n {2}kvm-postcopy +B /);
        assert.doesNotMatch(stdout, /SYNTHETIC/);
        const report = await Deno.readTextFile(`${out}/report.md`);
        assert.doesNotMatch(report, /SYNTHETIC/);
        assert.match(report, /\n## Skipped\n\n- fig5 not drawn: the data hold no pre-copy runs/);
        await assert.rejects(Deno.stat(`${out}/figures/fig5.svg`), Deno.errors.NotFound);
        assert.doesNotMatch(await Deno.readTextFile(`${out}/figures/fig6.svg`), /SYNTHETIC/);
      },
    );

    const refusals: [string, () => Promise<string>, RegExp][] = [
      [
        "3 runs: nothing can be fitted",
        async () => {
          const file = `${dir}/three.csv`;
          await subset(file, (_, i) => i < 3);
          return file;
        },
        /^reproduce: nothing to fit in \S+three\.csv: [a-z-]+: fitContention: no completed runs to fit, .*; left out [a-z-]+ \/ \w+: 1 completed run, a factor needs at least 2.* \(--synthetic runs on the seeded synthetic dataset instead\)\n$/,
      ],
      [
        "a folder whose runs all failed",
        async () => {
          await Deno.mkdir(`${dir}/failed`);
          const failed = await subset(`${dir}/failed/runs.csv`, (_, i) => i < 4);
          const text = await Deno.readTextFile(`${dir}/failed/runs.csv`);
          await Deno.writeTextFile(
            `${dir}/failed/runs.csv`,
            text.replaceAll(",completed,", ",failed,"),
          );
          assert.equal(failed.length, 4);
          return `${dir}/failed`;
        },
        /^reproduce: nothing to fit in \S+\/failed: \S+\/failed: no completed runs \(4 rows\), not used \(--synthetic runs on the seeded synthetic dataset instead\)\n$/,
      ],
      [
        "an empty folder",
        async () => {
          await Deno.mkdir(`${dir}/empty`);
          return `${dir}/empty`;
        },
        /^reproduce: invalid --data, expected a dataset file, or a folder holding runs\.csv \(got "\S+\/empty": a folder without runs\.csv\)\n$/,
      ],
    ];
    for (const [name, make, message] of refusals) {
      await t.step(`${name}: one line, exit 2, nothing written`, async () => {
        const data = await make();
        const out = `${dir}/out-${name.split(":")[0]!.replaceAll(" ", "-")}`;
        const { code, stdout, stderr } = await runTask("reproduce", ["--data", data, "--out", out]);
        assert.equal(code, 2, stderr);
        assert.equal(stdout, "");
        assert.match(stderr, message);
        await assert.rejects(Deno.stat(out), Deno.errors.NotFound);
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
