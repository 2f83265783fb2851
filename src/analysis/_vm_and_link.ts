// Options shared by the model-only analyses (Figure 3's curves, the decision map).
import { checkNumber } from "../_validate.ts";

/** The VM size and link every model-only analysis takes, with the paper's defaults. */
export interface VmAndLink {
  /** M, bytes: the paper's 1.5 GiB VM by default. */
  memoryBytes: number;
  /** B, bytes/s: Gigabit Ethernet (125e6) by default. */
  bandwidthBytesPerSecond: number;
}

/**
 * Checks `memoryBytes` and `bandwidthBytesPerSecond` options and fills in the
 * paper's testbed (1.5 GiB over 1 Gbit/s) where they are not given.
 *
 * @param where The analysis function's name, for messages.
 * @param options The analysis's options.
 */
export function resolveVmAndLink(
  where: string,
  options: { memoryBytes?: number; bandwidthBytesPerSecond?: number },
): VmAndLink {
  return {
    memoryBytes: checkNumber(
      where,
      "option",
      "memoryBytes",
      options.memoryBytes ?? 1.5 * 2 ** 30,
      "positive",
      "bytes",
    ),
    bandwidthBytesPerSecond: checkNumber(
      where,
      "option",
      "bandwidthBytesPerSecond",
      options.bandwidthBytesPerSecond ?? 125e6,
      "positive",
      "bytes/s",
    ),
  };
}
