import assert from "node:assert/strict";
import { guestProgress } from "./guest_progress.ts";
import { postcopyProgress } from "./postcopy_progress.ts";

// Small numbers a reader can follow: M = 1000 bytes, B = 100 bytes/s (a phase T = M/B = 10 s),
// pages of 1 byte: SMALL, with W and d given per test.
const SMALL = { memoryBytes: 1000, bandwidthBytesPerSecond: 100, pageBytes: 1 };

function near(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) < 1e-12, `${what}: ${actual} != ${expected}`);
}

function assertResult(
  actual: ReturnType<typeof postcopyProgress>,
  expected: ReturnType<typeof postcopyProgress>,
): void {
  for (const key of ["progressRatio", "lostSeconds", "liveSeconds", "faultedPages"] as const) {
    near(actual[key], expected[key], key);
  }
}

Deno.test("postcopyProgress() runs a first pass longer than the phase at 1/τ throughout", () => {
  // W = 100 pages, d = 10 pages/s, fault 0.1 s: τ = max(1/10, 1/100) + 0.1 = 0.2 s, first pass
  // 20 s > T = 10 s, so work = T/τ = 50 pages of the d·T = 100 a free guest does: ratio 0.5.
  assertResult(
    postcopyProgress({ ...SMALL, wssBytes: 100, dirtyPagesPerSecond: 10 }, { faultSeconds: 0.1 }),
    {
      progressRatio: 0.5,
      lostSeconds: 5,
      liveSeconds: 10,
      faultedPages: 50,
    },
  );
});

Deno.test("postcopyProgress() runs at d after a first pass inside the phase", () => {
  // W = 20 pages at τ = 0.2 s: first pass 4 s, then 6 s at d = 10: work = 20 + 60 = 80 of 100.
  assertResult(
    postcopyProgress({ ...SMALL, wssBytes: 20, dirtyPagesPerSecond: 10 }, { faultSeconds: 0.1 }),
    {
      progressRatio: 0.8,
      lostSeconds: 2,
      liveSeconds: 10,
      faultedPages: 20,
    },
  );
});

Deno.test("postcopyProgress() holds a writer faster than the link to the link's rate", () => {
  // d·p = 200 bytes/s > B = 100: τ = p/B = 0.01 s, 500 pages in 5 s, then 5 s at d = 200:
  // work = 500 + 1000 = 1500 of 2000 = 0.75 = 1 - (W/M)(1 - B/(p·d)) = 1 - 0.5 · 0.5.
  const result = postcopyProgress({ ...SMALL, wssBytes: 500, dirtyPagesPerSecond: 200 });
  near(result.progressRatio, 0.75, "ratio");
  near(result.progressRatio, 1 - (500 / 1000) * (1 - 100 / (1 * 200)), "ratio by the closed form");
  near(result.faultedPages, 500, "faulted pages");
});

Deno.test("postcopyProgress() scales the phase's ratio by 1 - destinationSlowdown", () => {
  near(
    postcopyProgress({ ...SMALL, wssBytes: 20, dirtyPagesPerSecond: 10 }, {
      faultSeconds: 0.1,
      destinationSlowdown: 0.5,
    }).progressRatio,
    0.4,
    "ratio",
  );
  near(
    postcopyProgress({ ...SMALL, wssBytes: 20, dirtyPagesPerSecond: 10 }, {
      faultSeconds: 0.1,
      destinationSlowdown: 0.25,
    }).lostSeconds,
    4,
    "lost seconds",
  );
});

Deno.test("postcopyProgress() after a first pre-copy pass faults only the pages it dirtied", () => {
  // Pass of M/B = 10 s dirties min(W, p·d·10) = min(100, 50) = 50 bytes: phase 0.5 s. τ = 0.2 +
  // 0.05 = 0.25 s, so the phase does 0.5/0.25 = 2 pages of d·0.5 = 2.5: phase ratio 0.8, and
  // over the 10.5 s the ratio is (10 + 0.8 · 0.5) / 10.5.
  assertResult(
    postcopyProgress({ ...SMALL, wssBytes: 100, dirtyPagesPerSecond: 5 }, {
      faultSeconds: 0.05,
      precopyPasses: 1,
    }),
    {
      progressRatio: 10.4 / 10.5,
      lostSeconds: 0.1,
      liveSeconds: 10.5,
      faultedPages: 2,
    },
  );
});

Deno.test("postcopyProgress() loses nothing when the guest writes nothing or nothing is left", async (t) => {
  const none = (liveSeconds: number) => ({
    progressRatio: 1,
    lostSeconds: 0,
    liveSeconds,
    faultedPages: 0,
  });
  await t.step("d = 0", () => {
    assert.deepEqual(
      postcopyProgress({ ...SMALL, wssBytes: 100, dirtyPagesPerSecond: 0 }, {
        faultSeconds: 0.1,
        destinationSlowdown: 0.5,
      }),
      none(10),
    );
  });
  await t.step("W = 0", () => {
    assert.deepEqual(
      postcopyProgress({ ...SMALL, wssBytes: 0, dirtyPagesPerSecond: 10 }, {
        faultSeconds: 0.1,
        destinationSlowdown: 0.5,
      }),
      none(10),
    );
  });
  await t.step("a first pass with W = 0 leaves no phase", () => {
    assert.deepEqual(
      postcopyProgress({ ...SMALL, wssBytes: 0, dirtyPagesPerSecond: 10 }, {
        faultSeconds: 0.1,
        precopyPasses: 1,
      }),
      none(10),
    );
  });
});

Deno.test("postcopyProgress() is guestProgress()'s post-copy branch on checked inputs", () => {
  const input = {
    memoryBytes: 2 ** 30,
    wssBytes: 2 ** 28,
    dirtyPagesPerSecond: 5120,
    bandwidthBytesPerSecond: 1e8,
    pageBytes: 4096,
  };
  for (const precopyPasses of [0, 1] as const) {
    const options = { faultSeconds: 1e-4, destinationSlowdown: 0.1, precopyPasses };
    assert.deepEqual(
      postcopyProgress(input, options),
      guestProgress("kvm-postcopy", input, options),
    );
  }
});

Deno.test("postcopyProgress() takes each missing option as 0", () => {
  const input = { ...SMALL, wssBytes: 20, dirtyPagesPerSecond: 10 };
  const zeros = { faultSeconds: 0, destinationSlowdown: 0, precopyPasses: 0 } as const;
  assert.deepEqual(postcopyProgress(input), postcopyProgress(input, zeros));
  assert.deepEqual(
    postcopyProgress(input, { faultSeconds: 0.1 }),
    postcopyProgress(input, { ...zeros, faultSeconds: 0.1 }),
  );
  // W = 20 pages at τ = max(1/10, 1/100) = 0.1 s: the first pass takes 2 s of the 10, and a
  // free-running guest loses nothing: ratio 1 - 0 (no fault cost, no slowdown).
  near(postcopyProgress(input).progressRatio, 1, "ratio without costs");
});
