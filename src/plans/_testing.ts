// Seeded synthetic plans for the tests of fitPlans and crossValidatePlans:
// random migrations between 500 Mbit/s and 1 Gbit/s hosts, timed by
// simulatePlan at known parameters, with multiplicative log-normal noise.
// Synthetic, not measured.
import { createRandom, normal } from "../_random.ts";
import { simulatePlan } from "./simulate_plan.ts";
import type { Plan, PlanParameters } from "./types.ts";

/** The parameters the synthetic plans are timed with. */
export const TRUTH: PlanParameters = {
  linkFractions: { "500 Mbit/s": { value: 0.8 }, "1000 Mbit/s": { value: 0.92 } },
  overheadSeconds: { value: 2.5 },
};

/** `count` plans of `size` KVM pre-copy migrations over 4 hosts, with `noise` (sd of ln). */
export function syntheticPlans(seed: number, count: number, size: number, noise: number): Plan[] {
  const random = createRandom(seed);
  const slow = { uplinkBytesPerSecond: 62.5e6, downlinkBytesPerSecond: 62.5e6 };
  const fast = { uplinkBytesPerSecond: 125e6, downlinkBytesPerSecond: 125e6 };
  const nodes = { n0: slow, n1: slow, n2: fast, n3: fast };
  return Array.from({ length: count }, () => {
    const migrations = Array.from({ length: size }, (_, i) => {
      const source = Math.floor(random() * 4);
      const destination = (source + 1 + Math.floor(random() * 3)) % 4;
      return {
        id: `vm${i}`,
        method: "kvm-precopy",
        memoryBytes: (1 + Math.floor(random() * 3)) * 1e9,
        wssBytes: 96e6,
        dirtyPagesPerSecond: 488.28125,
        source: `n${source}`,
        destination: `n${destination}`,
        startSeconds: Math.floor(random() * 60),
      };
    });
    const plan = { nodes, migrations };
    const times = simulatePlan(plan, TRUTH).migrations.map((m) => m.migrationTimeSeconds);
    return {
      nodes,
      migrations: migrations.map((m, i) => ({
        ...m,
        migrationTimeSeconds: times[i]! * Math.exp(noise * normal(random)),
      })),
    };
  });
}
