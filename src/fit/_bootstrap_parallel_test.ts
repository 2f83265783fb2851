import assert from "node:assert/strict";
import { loadRuns } from "../data/load_runs.ts";
import { BOOTSTRAP_WORKERS } from "./_bootstrap_parallel.ts";
import { fitContention } from "./fit_contention.ts";

const PROJECT = new URL("../../data/qemu-tcg-1gbit/runs.csv", import.meta.url).pathname;

/** fitContention with the bootstrap's workers in a mode, restored after. */
function fitWith(mode: typeof BOOTSTRAP_WORKERS.mode, ...args: Parameters<typeof fitContention>) {
  const before = BOOTSTRAP_WORKERS.mode;
  BOOTSTRAP_WORKERS.mode = mode;
  try {
    return fitContention(...args);
  } finally {
    BOOTSTRAP_WORKERS.mode = before;
  }
}

Deno.test("fitContention() gives the same fit bit for bit with the bootstrap on workers", async () => {
  // The project's KVM pre-copy runs (measured), a third of them: the lattice path.
  const runs = (await loadRuns(PROJECT)).runs.filter((r) => r.method === "kvm-precopy")
    .filter((_, i) => i % 3 === 0);
  const options = { resamples: 24, seed: 3 };
  const events: number[] = [];
  const parallel = fitWith("always", runs, {
    ...options,
    onProgress: (p) => events.push(p.done),
  });
  const serial = fitWith("never", runs, options);
  assert.deepEqual(parallel, { ...serial, options: parallel.options });
  assert.ok(Number.isFinite(serial.factors.cpu!.low) && serial.factors.cpu!.low < 1.01);
  // Progress rises to the total, one event per resample refitted on this thread.
  assert.equal(events.at(-1), 24);
  assert.ok(events.every((done, k) => k === 0 || done > events[k - 1]!));
});

Deno.test("fitContention() refits serially where workers may not read their module", async () => {
  // A child with read access to the data only: the worker's module is not readable, so the
  // bootstrap stays on the calling thread and gives the same intervals.
  const child = `
    import { loadRuns } from ${
    JSON.stringify(new URL("../data/load_runs.ts", import.meta.url).href)
  };
    import { BOOTSTRAP_WORKERS } from ${
    JSON.stringify(new URL("./_bootstrap_parallel.ts", import.meta.url).href)
  };
    import { fitContention } from ${
    JSON.stringify(new URL("./fit_contention.ts", import.meta.url).href)
  };
    BOOTSTRAP_WORKERS.mode = "always";
    const runs = (await loadRuns(${
    JSON.stringify(PROJECT)
  })).runs.filter((r) => r.method === "kvm-precopy")
      .filter((_, i) => i % 3 === 0);
    const fit = fitContention(runs, { resamples: 12, seed: 5 });
    console.log(JSON.stringify([fit.bandwidth, fit.factors]));
  `;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--ext=ts", `--allow-read=${PROJECT}`, child],
    env: { DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(output.stderr);
  assert.equal(output.code, 0, stderr);
  const runs = (await loadRuns(PROJECT)).runs.filter((r) => r.method === "kvm-precopy")
    .filter((_, i) => i % 3 === 0);
  const fit = fitWith("never", runs, { resamples: 12, seed: 5 });
  assert.equal(
    new TextDecoder().decode(output.stdout).trim(),
    JSON.stringify([fit.bandwidth, fit.factors]),
  );
});
