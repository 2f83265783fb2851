// Private: a collector sitting's guard: on Ctrl-C/TERM it cleans up (processes,
// namespaces, qdiscs, the scratch directory) and exits 130; on any end it
// cleans up too.

import { cleanupAll, cleanupSync } from "./_host.ts";

/**
 * Runs `body` in a fresh scratch directory with the signal handlers set.
 * `interrupted()` is true once a signal asked the collector to stop: the run
 * in progress is then broken by the cleanup, not by the method, so its row
 * must not be written.
 */
export async function guarded<T>(
  log: (line: string) => void,
  body: (work: string, interrupted: () => boolean) => Promise<T>,
): Promise<T> {
  const work = await Deno.makeTempDir({ prefix: "collect-" });
  const state = { interrupted: false };
  const onSignal = () => {
    state.interrupted = true;
    log("collect: interrupted, cleaning up");
    cleanupAll()
      .then(() => Deno.remove(work, { recursive: true }))
      .catch(() => {})
      .finally(() => Deno.exit(130));
  };
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
  globalThis.addEventListener("unload", cleanupSync);
  try {
    return await body(work, () => state.interrupted);
  } finally {
    Deno.removeSignalListener("SIGINT", onSignal);
    Deno.removeSignalListener("SIGTERM", onSignal);
    await cleanupAll();
    globalThis.removeEventListener("unload", cleanupSync);
    await Deno.remove(work, { recursive: true }).catch(() => {});
  }
}
