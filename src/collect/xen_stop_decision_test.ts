import assert from "node:assert/strict";
import { xenStopDecision } from "./xen_stop_decision.ts";

const FIXTURES = new URL("../../tests/fixtures/collect/", import.meta.url);

interface Sample {
  query_migrate: Record<string, unknown>;
}

async function readGzipLines(name: string): Promise<Sample[]> {
  const file = await Deno.open(new URL(name, FIXTURES));
  const text = await new Response(file.readable.pipeThrough(new DecompressionStream("gzip")))
    .text();
  return text.trim().split("\n").map((line) => JSON.parse(line));
}

function firstStop(samples: Sample[]): { index: number; reason: string } | undefined {
  for (const [index, sample] of samples.entries()) {
    const reason = xenStopDecision(sample.query_migrate);
    if (reason !== undefined) return { index, reason };
  }
  return undefined;
}

Deno.test("xenStopDecision() replays the collector's recorded xen-precopy-policy run", async () => {
  const samples = await readGzipLines("tcg-xen-precopy-policy-w64-d51200.qmp.jsonl.gz");
  const stop = firstStop(samples);
  assert.ok(stop !== undefined);
  assert.equal(stop.reason, "transfer-limit");
  const ram = samples[stop.index]!.query_migrate.ram as Record<string, number>;
  assert.ok(ram.transferred! > 3 * ram.total!);
  // The poll before did not satisfy any rule, and the run completed after the forced switch.
  const before = samples[stop.index - 1]!.query_migrate.ram as Record<string, number>;
  assert.ok(before.transferred! <= 3 * before.total!);
  assert.ok(samples.some((s) => s.query_migrate.status === "completed"));
});

Deno.test("xenStopDecision() would have stopped a recorded non-convergent KVM pre-copy", async () => {
  const samples = await readGzipLines("tcg-kvm-precopy-nonconvergent-w64-d51200.qmp.jsonl.gz");
  assert.ok(samples.some((s) => s.query_migrate.status === "cancelled"));
  const stop = firstStop(samples);
  assert.ok(stop !== undefined);
  assert.equal(stop.reason, "transfer-limit");
  // Fewer rounds than Xen's 30 by then: the 3x RAM rule comes first at 125 MB/s.
  const ram = samples[stop.index]!.query_migrate.ram as Record<string, number>;
  assert.ok(ram["dirty-sync-count"]! < 30);
});

Deno.test("xenStopDecision() never fires on a KVM pre-copy that converged in 8 rounds", async () => {
  const samples: Sample[] = JSON.parse(
    await Deno.readTextFile(new URL("kvm-precopy-convergent-run-1.json", FIXTURES)),
  );
  assert.equal(firstStop(samples), undefined);
});

Deno.test("xenStopDecision() applies the rules in order (synthetic replies)", async (t) => {
  const base = {
    status: "active",
    ram: { total: 1e9, transferred: 1e9, remaining: 1e8, "page-size": 4096, "dirty-sync-count": 5 },
  };
  const withRam = (ram: Record<string, number>) => ({ ...base, ram: { ...base.ram, ...ram } });
  await t.step("rounds", () => {
    assert.equal(xenStopDecision(withRam({ "dirty-sync-count": 29 })), undefined);
    assert.equal(
      xenStopDecision(withRam({ "dirty-sync-count": 30, transferred: 4e9 })),
      "max-iterations",
    );
  });
  await t.step("3x RAM", () => {
    assert.equal(xenStopDecision(withRam({ transferred: 3e9 })), undefined);
    assert.equal(xenStopDecision(withRam({ transferred: 3e9 + 1 })), "transfer-limit");
  });
  await t.step("fewer than 50 pages", () => {
    assert.equal(xenStopDecision(withRam({ remaining: 50 * 4096 })), undefined);
    assert.equal(xenStopDecision(withRam({ remaining: 49 * 4096 })), "few-dirty-pages");
    // During the first pass `remaining` is the unsent memory, not dirty pages.
    assert.equal(xenStopDecision(withRam({ remaining: 0, "dirty-sync-count": 1 })), undefined);
  });
  await t.step("options", () => {
    assert.equal(
      xenStopDecision(withRam({ "dirty-sync-count": 10 }), { maxIterations: 10 }),
      "max-iterations",
    );
  });
  await t.step("not active", () => {
    assert.equal(
      xenStopDecision({
        ...base,
        status: "completed",
        ram: { ...base.ram, "dirty-sync-count": 40 },
      }),
      undefined,
    );
    assert.equal(xenStopDecision({}), undefined);
  });
  await t.step("not an object", () => {
    assert.throws(() => xenStopDecision(null), {
      name: "TypeError",
      message: "xenStopDecision: invalid reply, expected a query-migrate object (got null)",
    });
  });
});
