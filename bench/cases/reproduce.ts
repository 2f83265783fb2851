// The `reproduce` case: wall time of `deno task reproduce` (the main job),
// warm: one untimed run first (module cache, file cache), then the timed
// repeats. There is no Python reference for the whole pipeline.
import {
  type BenchCase,
  type CaseOptions,
  type CaseResult,
  finishResult,
  unavailableResult,
} from "../_harness.ts";

const NAME = "reproduce";
const DESCRIPTION = "wall time of `deno task reproduce`, warm (no reference)";
const GOAL = "< 5 s";

async function reproduceOnce(root: string): Promise<number> {
  const start = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["task", "reproduce"],
    cwd: root,
    stdout: "null",
    stderr: "piped",
    env: { DENO_NO_UPDATE_CHECK: "1" },
  }).output();
  const seconds = (performance.now() - start) / 1000;
  if (!out.success) {
    throw new Error(`bench: deno task reproduce failed: ${new TextDecoder().decode(out.stderr)}`);
  }
  return seconds;
}

/** The reproduce case. */
export const reproduceCase: BenchCase = {
  name: NAME,
  async run(options: CaseOptions): Promise<CaseResult> {
    if (options.quick) {
      return unavailableResult(NAME, DESCRIPTION, GOAL, "not run with --quick", "skipped");
    }
    const root = new URL("../../", import.meta.url).pathname;
    await reproduceOnce(root);
    const seconds: number[] = [];
    for (let i = 0; i < Math.min(options.repeats, 3); i++) seconds.push(await reproduceOnce(root));
    const result = finishResult({
      case: NAME,
      description: DESCRIPTION,
      note: "",
      ours_repeats: seconds,
      reference_repeats: [],
      sizes: {},
      goal: GOAL,
      agreement: null,
      extra: {},
    });
    result.note = result.ours_seconds! < 5 ? "goal < 5 s met" : "goal < 5 s missed";
    return result;
  },
};
