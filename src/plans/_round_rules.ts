// The time-varying-bandwidth step of each method's rounds: what a migration
// sends next once a round (a "chunk" of bytes) has been sent, given how long
// that round took and the bandwidth the migration has at that moment. These
// are the rules of src/models' single-bandwidth functions with B replaced by
// the migration's current rate:
//
// - kvm-precopy (kvmRounds, kvmPrecopy's switchRule "between-rounds"): before the first round and after each round,
//   switch to stop-and-copy once the dirty remainder fits the downtime limit
//   at the current rate, remainder <= limit * rate; a round sends what the
//   guest dirtied during the previous one, min(W, p d t_round), where
//   t_round is the round's wall time (the bandwidth may have changed within
//   it); give up after maxIterations rounds (the timeout is an event of the
//   simulation, at transfer start + timeoutSeconds, as in kvmRounds).
// - xen-precopy (xenRounds): round 1 sends M; after round i the dirty set is
//   min(W, p d t_i); stop at the first of (1) bytes sent > factor * M, (2)
//   fewer than minDirtyPages pages dirty, (3) maxIterations rounds; the
//   stop-and-copy then sends the dirty set (part of xenPrecopy's migrationTimeSeconds).
// - kvm-postcopy (kvmPostcopy): M, after one pre-copy pass of M when
//   precopyPasses is 1, plus what that pass dirtied, min(W, p d t_pass).
//
// With a constant rate B each t_round is bytes / B, exactly the models'
// t_i, so the sums agree with kvmPrecopy (between-rounds) / xenPrecopy / kvmPostcopy
// (simulate_plan_test.ts checks this on random inputs).

/** Method codes of the compiled plan. */
export const KVM_PRECOPY = 0;
/** Xen pre-copy. */
export const XEN_PRECOPY = 1;
/** KVM post-copy. */
export const KVM_POSTCOPY = 2;

/** The method names simulatePlan accepts, by code. */
export const PLAN_METHODS: readonly string[] = ["kvm-precopy", "xen-precopy", "kvm-postcopy"];

/** One migration's round rules, resolved. */
export interface RoundRules {
  /** KVM_PRECOPY, XEN_PRECOPY or KVM_POSTCOPY. */
  method: number;
  memoryBytes: number;
  wssBytes: number;
  /** p * d, bytes/s. */
  dirtyBytesPerSecond: number;
  /** kvm: downtime limit, s. */
  downtimeLimitSeconds: number;
  /** kvm: give up after this long transferring, s. */
  timeoutSeconds: number;
  /** kvm, xen: most rounds. */
  maxIterations: number;
  /** xen: stop once more than this times M is sent. */
  maxTransferFactor: number;
  /** xen: stop once fewer than this many bytes are dirty (minDirtyPages * p). */
  minDirtyBytes: number;
  /** post-copy: pre-copy passes before the switch (0 or 1). */
  precopyPasses: number;
}

/** The next chunk to send: its bytes and whether it is the last. */
export interface Chunk {
  bytes: number;
  final: boolean;
}

/**
 * The first chunk, when the migration starts sending at `rateBytesPerSecond`.
 *
 * @param rules The migration's rules.
 * @param rateBytesPerSecond Its bandwidth at that moment.
 */
export function firstChunk(rules: RoundRules, rateBytesPerSecond: number): Chunk {
  const m = rules.memoryBytes;
  if (rules.method === KVM_PRECOPY) {
    return { bytes: m, final: m <= rules.downtimeLimitSeconds * rateBytesPerSecond };
  }
  if (rules.method === XEN_PRECOPY) return { bytes: m, final: false };
  return { bytes: m, final: rules.precopyPasses === 0 };
}

/**
 * The chunk after a round (a chunk that was not final), or null when the
 * migration gives up (KVM pre-copy at maxIterations rounds).
 *
 * @param rules The migration's rules.
 * @param iterations Rounds done, this one included.
 * @param sentBytes Bytes sent so far, this round included.
 * @param roundSeconds The round's wall time.
 * @param rateBytesPerSecond The bandwidth at the round's end.
 */
export function afterRound(
  rules: RoundRules,
  iterations: number,
  sentBytes: number,
  roundSeconds: number,
  rateBytesPerSecond: number,
): Chunk | null {
  const dirtyBytes = Math.min(rules.wssBytes, rules.dirtyBytesPerSecond * roundSeconds);
  if (rules.method === KVM_PRECOPY) {
    if (dirtyBytes <= rules.downtimeLimitSeconds * rateBytesPerSecond) {
      return { bytes: dirtyBytes, final: true };
    }
    if (iterations >= rules.maxIterations) return null;
    return { bytes: dirtyBytes, final: false };
  }
  if (rules.method === XEN_PRECOPY) {
    const stop = sentBytes > rules.maxTransferFactor * rules.memoryBytes ||
      dirtyBytes < rules.minDirtyBytes || iterations >= rules.maxIterations;
    return { bytes: dirtyBytes, final: stop };
  }
  return { bytes: dirtyBytes, final: true };
}
