// The README's test command (`deno task test`): runs every test, doc example
// and notebook check with `deno test`, echoes its output, and ends with the
// line "N passed, N failed" that CI reads. The exit code is deno test's.
//
//   deno task test              # everything
//   deno task test src/models   # only some paths

const paths = Deno.args.length > 0
  ? Deno.args
  : ["mod.ts", "src/", "tests/", "scripts/", "notebooks/", "bench/"];
const existing = paths.filter((path) => {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
});

const child = new Deno.Command(Deno.execPath(), {
  args: ["test", "--allow-all", "--doc", "--parallel", "--quiet", ...existing],
  stdout: "piped",
  stderr: "inherit",
  env: { DENO_NO_UPDATE_CHECK: "1", DENO_JOBS: "2" },
}).spawn();

let tail = "";
const decoder = new TextDecoder();
for await (const chunk of child.stdout) {
  await Deno.stdout.write(chunk);
  tail = (tail + decoder.decode(chunk, { stream: true })).slice(-4000);
}
const { code } = await child.status;
// deno test ends with "ok | 12 passed (3 steps) | 0 failed" or "FAILED | 10 passed | 2 failed".
// deno-lint-ignore no-control-regex
const plain = tail.replace(/\x1b\[[0-9;]*m/g, "");
const summary = /(\d+) passed(?: \(\d+ steps?\))? \| (\d+) failed/.exec(plain);
const passed = summary ? Number(summary[1]) : 0;
const failed = summary ? Number(summary[2]) : code === 0 ? 0 : 1;
console.log(`${passed} passed, ${failed} failed`);
Deno.exit(code);
