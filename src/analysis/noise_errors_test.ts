import assert from "node:assert/strict";
import { loadDatasetFolder } from "../data/load_dataset_folder.ts";
import { fitContention } from "../fit/fit_contention.ts";
import { noiseErrors, stagedNoiseErrors } from "./noise_errors.ts";

Deno.test("noiseErrors() on the measured grids: measured against proxy, co-located, blocktime", async () => {
  const folder = (name: string) => new URL(`../../data/${name}`, import.meta.url).pathname;
  const runs = [
    ...(await loadDatasetFolder(folder("qemu-tcg-1gbit"))).runs,
    ...(await loadDatasetFolder(folder("qemu-tcg-1gbit-noise"))).runs,
  ];
  const methods = ["xen-precopy-policy", "kvm-precopy", "kvm-postcopy"];
  const fits = Object.fromEntries(
    methods.map((method) => [method, fitContention(runs, { method, resamples: 0 })]),
  );
  const errors = noiseErrors(runs, fits);
  assert.deepEqual(errors.failed, {});
  assert.deepEqual(errors.guest.map((g) => g.method), methods);
  for (const g of errors.guest) {
    // Measured (first 49 noise-grid points): 12-13 measured runs a method, 103-146 proxy only;
    // post-copy ratio MAE 0.011 in sample, 0.016 cross-validated; pre-copy 0.012-0.029.
    assert.ok(g.measuredRuns >= 12, `${g.method} ${g.measuredRuns}`);
    assert.equal(g.fittedOn, "measured");
    assert.ok(g.proxyOnlyRuns > 0, g.method);
    assert.ok(g.auto.maeIn < 0.05, `${g.method} ${g.auto.maeIn}`);
    assert.ok(g.proxy.maeIn < 0.02, `${g.method} proxy ${g.proxy.maeIn}`);
    assert.ok(g.proxy.maeOnMeasured > 0 && g.proxy.maeOnMeasured < 0.05, g.method);
    assert.match(g.auto.parameters, g.method === "kvm-postcopy" ? /^fault / : /^c = /);
  }
  const post = errors.guest.find((g) => g.method === "kvm-postcopy")!;
  assert.ok(post.auto.maeCv < 0.03, String(post.auto.maeCv));
  for (const c of errors.colocated) {
    const network = c.byContention.find((r) => r.contention === "network")!;
    assert.ok(network.maeIn < 0.06 && network.maeCv < 0.06, c.method);
    assert.match(c.parameters.network!, /^C = 1[1-4]\d /);
  }
  assert.deepEqual(errors.blocktime.map((b) => b.method), ["kvm-postcopy"]);
  const blocktime = errors.blocktime[0]!;
  assert.ok(blocktime.runs >= 15);
  // 0.66 s on the 207 points (0.33 s on 99: the loaded sitting's runs, #13).
  assert.ok(blocktime.maeCv < 0.85 && blocktime.p90Cv >= blocktime.maeCv);
  // Measured: over 13 runs the guest lost a median 0.69 s and was blocked 0.72 s.
  assert.ok(blocktime.pairedRuns >= 12);
  assert.ok(Math.abs(blocktime.medianLostSeconds - blocktime.medianBlocktimeSeconds) < 0.3);
  // In two stages (the noise figure drawn between them): the same errors.
  const staged = stagedNoiseErrors(runs, fits);
  assert.deepEqual(
    staged.fittedOn,
    errors.guest.map((g) => ({ method: g.method, fittedOn: g.fittedOn })),
  );
  assert.deepEqual(staged.finish(), errors);
});
