// Private, for tests: the settings of the paper's grid as the collector runs it.

import type { RunSettings } from "./_run_row.ts";

/** 1.5 GiB VM, 1 Gbit/s link, 0.3 s limit, 60 s / 300 s time limits, immediate post-copy, TCG. */
export const PAPER_SETTINGS: Readonly<RunSettings> = {
  memoryBytes: 1610612736,
  linkBandwidthBytesPerSecond: 125e6,
  downtimeLimitSeconds: 0.3,
  timeoutSeconds: 60,
  hardTimeoutSeconds: 300,
  postcopySwitch: "immediate",
  accelerator: "tcg",
  hostCpu: "AMD EPYC",
};
