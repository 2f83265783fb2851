import assert from "node:assert/strict";
import { DatasetError, importLibvirt } from "../../mod.ts";

// Hand-written fixtures in libvirt's formats (see tests/fixtures/libvirt/PROVENANCE.md).
const FIXTURES = new URL("../../tests/fixtures/libvirt/", import.meta.url);
const OPTIONS = { method: "kvm-precopy", contention: "none", wssBytes: "full" as const };

Deno.test("importLibvirt() reads virsh domjobinfo --completed text", async () => {
  const { run, form, notes } = await importLibvirt(
    new URL("domjobinfo_completed_precopy.txt", FIXTURES),
    OPTIONS,
  );
  assert.equal(form, "virsh");
  assert.equal(run.status, "completed");
  assert.equal(run.migrationTimeSeconds, 12.604);
  assert.equal(run.downtimeSeconds, 0.067);
  // virsh prints 2.016 GiB: the bytes are that, rounded.
  assert.equal(run.memoryBytes, Math.round(2.016 * 2 ** 30));
  assert.equal(run.wssBytes, run.memoryBytes);
  assert.equal(run.transferredBytes, Math.round(1.152 * 2 ** 30));
  assert.equal(run.iterations, 6);
  assert.equal(run.pageBytes, 4096);
  assert.equal(run.dirtyPagesPerSecond, 2361);
  assert.equal(run.extra.setup_time_seconds, 0.009);
  assert.equal(run.extra.downtime_net_seconds, 0.061);
  assert.equal(run.extra.operation, "Outgoing migration");
  assert.ok(Math.abs((run.extra.memory_bps_bytes_per_second as number) - 94.562 * 2 ** 20) < 1e-3);
  assert.equal(run.extra.memory_dirty_rate_pages_per_second, undefined);
  assert.ok(
    notes[0]?.startsWith("virsh prints sizes rounded to 3 decimals (Data processed, Data total,"),
  );
});

Deno.test("importLibvirt() reads virDomainGetJobStats key/value forms exactly", async (t) => {
  await t.step("JSON object", async () => {
    const { run, form } = await importLibvirt(
      new URL("jobstats_completed_postcopy.json", FIXTURES),
      {
        ...OPTIONS,
        method: "kvm-postcopy",
        wssBytes: 1073741824,
        dirtyPagesPerSecond: 12800,
      },
    );
    assert.equal(form, "keyValue");
    assert.equal(run.method, "kvm-postcopy");
    assert.equal(run.memoryBytes, 4299161600);
    assert.equal(run.transferredBytes, 4386014301);
    assert.equal(run.migrationTimeSeconds, 21.413);
    assert.equal(run.downtimeSeconds, 0.041);
    assert.equal(run.iterations, 1);
    assert.equal(run.dirtyPagesPerSecond, 12800);
    assert.equal(run.extra.memory_dirty_rate_pages_per_second, 0);
    assert.equal(run.extra.memory_postcopy_reqs, 1893);
  });
  await t.step("key=value lines of a failed job", async () => {
    const { run } = await importLibvirt(new URL("jobstats_failed.kv", FIXTURES), OPTIONS);
    assert.equal(run.status, "failed");
    assert.equal(run.migrationTimeSeconds, 3.017);
    assert.equal(run.transferredBytes, 402653184);
    assert.equal(run.extra.memory_remaining_bytes, 1761607680);
  });
  await t.step("no job type: completed, said in notes", async () => {
    const { run, notes } = await importLibvirt(
      "time_elapsed: 1500\nmemory_total: 1000000\n",
      OPTIONS,
    );
    assert.equal(run.status, "completed");
    assert.equal(run.migrationTimeSeconds, 1.5);
    assert.ok(
      notes.includes('status "completed" assumed: no job type given (completed-job statistics)'),
    );
  });
});

Deno.test("importLibvirt() reports what it cannot read", async (t) => {
  await t.step("a bad quantity and an unreadable line", async () => {
    const text =
      "Job type:  Completed\nTime elapsed:  12 fortnights\nthis is not a statistic\nMemory total: 1 GiB\n";
    try {
      await importLibvirt(text, { ...OPTIONS, fileName: "job.txt" });
      assert.fail("expected a DatasetError");
    } catch (error) {
      assert.ok(error instanceof DatasetError);
      assert.deepEqual(error.problems.map((p) => p.message), [
        'job.txt:2: column "Time elapsed": "12 fortnights" is not a quantity (unknown unit in "12 fortnights", expected a duration such as "300 ms" or "2 s"), expected a number with its unit, as virsh prints it',
        'job.txt:3:1: cannot read "this is not a statistic", expected a "Label:  value" line as virsh prints',
      ]);
    }
  });
  await t.step("a negative value", async () => {
    await assert.rejects(
      () => importLibvirt('{"memory_total": -1}', { ...OPTIONS, fileName: "j.json" }),
      {
        name: "DatasetError",
        message:
          'j.json: cannot load runs, 1 problem\nj.json:1: column "memory_total": -1 is not a number >= 0, expected bytes >= 0',
      },
    );
  });
  await t.step("no memory total", async () => {
    await assert.rejects(
      () => importLibvirt("time_elapsed=5\n", { ...OPTIONS, fileName: "j.kv" }),
      {
        name: "DatasetError",
        message:
          'j.kv: cannot load runs, 1 problem\nj.kv: no memory total (memory_total, "Memory total"), expected the guest memory in bytes > 0',
      },
    );
  });
  await t.step("an unknown job type", async () => {
    await assert.rejects(
      () =>
        importLibvirt("type=9\nmemory_total=5\ntime_elapsed=1\n", { ...OPTIONS, fileName: "j.kv" }),
      {
        name: "DatasetError",
        message:
          'j.kv: cannot load runs, 1 problem\nj.kv:1: column "type": 9 is not a job type, expected Completed, Failed, Cancelled or a virDomainJobType number 0-5',
      },
    );
  });
  await t.step("the method is required", async () => {
    await assert.rejects(() => importLibvirt("x", { contention: "none", wssBytes: 0 }), {
      name: "TypeError",
      message:
        'importLibvirt: missing option "method", expected a label such as "kvm-precopy" (the statistics do not say)',
    });
  });
});
