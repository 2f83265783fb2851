// Private, for tests: a SYNTHETIC progress trace in the collector's format
// (data/README.md), made up, never measured. 100 ticks/s, CPU samples every
// 0.1 s from -10 s to end + 5 s: the vCPU runs at `vcpuPercent` (half during
// the migration), the load at 100 - that, the migration threads at 40 % while
// it runs; the guest writes 1000 pages/s (500 during the migration).

/** The trace's JSON Lines text. */
export function syntheticProgressTrace(
  options: { endSeconds?: number; vcpuPercent?: number; contention?: string } = {},
): string {
  const { endSeconds = 4, vcpuPercent = 60, contention = "cpu" } = options;
  const lines: unknown[] = [{
    t_since_run_start: 0,
    source: "run",
    end_seconds: endSeconds,
    baseline_seconds: 10,
    clock_ticks_per_second: 100,
    write_pattern: "sweep",
    contention,
  }];
  let vcpu = 0, load = 0, main = 0, mig = 0, pages = 0;
  for (let k = -100; k <= (endSeconds + 5) * 10; k++) {
    const t = k / 10;
    const migrating = t > 0 && t <= endSeconds;
    vcpu += (migrating ? vcpuPercent / 2 : vcpuPercent) / 10;
    load += (100 - vcpuPercent) / 10;
    main += 1 / 10;
    if (migrating) mig += 40 / 10;
    pages += migrating ? 50 : 100;
    const threads: [number, string, number][] = [[10, "qemu-system-x86", main], [
      11,
      "CPU 0/TCG",
      vcpu,
    ]];
    if (t > 0) threads.push([12, "mig/src/send", mig]);
    lines.push({
      t_since_run_start: t,
      source: "cpu",
      process: "source-qemu",
      pid: 10,
      threads,
    });
    if (contention !== "none") {
      lines.push({
        t_since_run_start: t,
        source: "cpu",
        process: "contention",
        pid: 20,
        threads: [[20, "cpu_hog", load]],
      });
    }
    lines.push({
      t_since_run_start: t,
      source: "guest",
      count: pages,
      unit: "pages",
      from: t <= endSeconds ? "source" : "destination",
      t_own: t + 100,
    });
  }
  return lines.map((line) => JSON.stringify(line)).join("\n") + "\n";
}
