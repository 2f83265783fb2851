// The between-rounds rule of kvmPrecopy(): whole rounds as in the Xen model,
// with the downtime limit checked at the start and after each round. Shared by
// kvmPrecopy() and sweep(); inputs are assumed valid.
import type { Round } from "./types.ts";

/** Stop reasons of the between-rounds rule. */
export type KvmRoundsStopReason = "converged" | "timeout" | "max-iterations";

/** The result of {@linkcode kvmRounds}. */
export interface KvmRoundsOutput {
  converged: boolean;
  stopReason: KvmRoundsStopReason;
  migrationTimeSeconds: number;
  precopyTimeSeconds: number;
  downtimeSeconds: number;
  iterations: number;
  transferredBytes: number;
  remainingBytes: number;
}

/**
 * The round loop of {@linkcode kvmPrecopy}, on checked inputs; sweep() calls
 * it without `rounds`.
 */
export function kvmRounds(
  memoryBytes: number,
  wssBytes: number,
  dirtyPagesPerSecond: number,
  bandwidthBytesPerSecond: number,
  pageBytes: number,
  downtimeLimitSeconds: number,
  timeoutSeconds: number,
  maxIterations: number,
  rounds?: Round[],
): KvmRoundsOutput {
  const limitBytes = downtimeLimitSeconds * bandwidthBytesPerSecond;
  const dirtyBytesPerSecond = pageBytes * dirtyPagesPerSecond;
  let pendingBytes = memoryBytes;
  let timeSeconds = 0;
  let transferredBytes = 0;
  let iterations = 0;
  for (;;) {
    if (pendingBytes <= limitBytes) {
      const downtimeSeconds = pendingBytes / bandwidthBytesPerSecond;
      return {
        converged: true,
        stopReason: "converged",
        migrationTimeSeconds: timeSeconds + downtimeSeconds,
        precopyTimeSeconds: timeSeconds,
        downtimeSeconds,
        iterations,
        transferredBytes: transferredBytes + pendingBytes,
        remainingBytes: pendingBytes,
      };
    }
    if (iterations >= maxIterations) {
      return gaveUp("max-iterations", timeSeconds, transferredBytes, pendingBytes);
    }
    const roundSeconds = pendingBytes / bandwidthBytesPerSecond;
    if (timeSeconds + roundSeconds > timeoutSeconds) {
      // Cancelled part way through this round: count what was sent until then.
      const sentBytes = (timeoutSeconds - timeSeconds) * bandwidthBytesPerSecond;
      return gaveUp("timeout", timeoutSeconds, transferredBytes + sentBytes, pendingBytes);
    }
    iterations += 1;
    timeSeconds += roundSeconds;
    transferredBytes += pendingBytes;
    if (rounds) rounds.push({ seconds: roundSeconds, bytes: pendingBytes });
    pendingBytes = Math.min(wssBytes, dirtyBytesPerSecond * roundSeconds);
  }

  function gaveUp(
    stopReason: KvmRoundsStopReason,
    atSeconds: number,
    sentBytes: number,
    remainingBytes: number,
  ): KvmRoundsOutput {
    return {
      converged: false,
      stopReason,
      migrationTimeSeconds: atSeconds,
      precopyTimeSeconds: atSeconds,
      downtimeSeconds: remainingBytes / bandwidthBytesPerSecond,
      iterations,
      transferredBytes: sentBytes,
      remainingBytes,
    };
  }
}
