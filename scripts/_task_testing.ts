// Private test helper: runs a deno.json task as a user does (`deno task -q NAME ARGS`, with
// the task's own permissions) and returns its exit status and output.

const CONFIG = new URL("../deno.json", import.meta.url).pathname;

/** What a task printed and how it ended. */
export interface TaskOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options of {@linkcode runTask}. */
export interface RunTaskOptions {
  /** Environment variables to add (MIGRATION_MODEL_DEBUG is cleared unless given). */
  env?: Record<string, string>;
}

/**
 * Runs `deno task -q NAME ...args` with the project's deno.json (the task's permissions
 * exactly as written there) and returns its status and output.
 */
export async function runTask(
  name: string,
  args: readonly string[],
  options: RunTaskOptions = {},
): Promise<TaskOutcome> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["task", "-q", "--config", CONFIG, name, ...args],
    env: { DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1", MIGRATION_MODEL_DEBUG: "", ...options.env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  return {
    code: output.code,
    stdout: text.decode(output.stdout),
    stderr: text.decode(output.stderr),
  };
}
