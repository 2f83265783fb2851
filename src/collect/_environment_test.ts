import assert from "node:assert/strict";
import {
  COLLECT_COMMANDS,
  CollectSetupError,
  environmentMessage,
  environmentProblems,
  hostFacts,
  INSTALL_HINT,
  qemuMajor,
  startFailure,
} from "./_environment.ts";

const GOOD = { uid: 0, missing: [], qemuVersion: "QEMU emulator version 10.0.2 (Debian)" };

Deno.test("qemuMajor() reads the major version of QEMU's --version line", () => {
  assert.equal(qemuMajor("QEMU emulator version 10.0.2 (Debian 1:10.0.2+ds-2)"), 10);
  assert.equal(qemuMajor("QEMU emulator version 7.2.15 (Debian 1:7.2+dfsg-7)"), 7);
  assert.equal(qemuMajor(""), undefined);
  assert.equal(qemuMajor("qemu: unknown option"), undefined);
});

Deno.test("environmentProblems() names each problem of the host and how to fix it", async (t) => {
  await t.step("a root host with every tool and QEMU 10 has none", () => {
    assert.deepEqual(environmentProblems(GOOD), []);
    assert.deepEqual(environmentProblems({ ...GOOD, uid: null }), []);
  });
  await t.step("not root", () => {
    assert.deepEqual(environmentProblems({ ...GOOD, uid: 1000 }), [
      "not root (uid 1000; the network namespaces and tc need it: run it with sudo)",
    ]);
  });
  await t.step("QEMU missing: no version check on top", () => {
    assert.deepEqual(
      environmentProblems({ ...GOOD, missing: ["qemu-system-x86_64"], qemuVersion: "" }),
      [
        `qemu-system-x86_64 not on PATH (Debian package qemu-system-x86 >= 9: ${INSTALL_HINT})`,
      ],
    );
  });
  await t.step("tools missing: each package once", () => {
    assert.deepEqual(environmentProblems({ ...GOOD, missing: ["ip", "tc", "iperf3"] }), [
      `ip, tc, iperf3 not on PATH (Debian packages iproute2, iperf3: ${INSTALL_HINT})`,
    ]);
  });
  await t.step("QEMU too old, or a version line without a version", () => {
    for (const qemuVersion of ["QEMU emulator version 7.2.15", "garbage"]) {
      assert.deepEqual(environmentProblems({ ...GOOD, qemuVersion }), [
        `QEMU too old or unreadable, expected version >= 9, 7.2 loses dirty pages under TCG (got "${qemuVersion}"; ${INSTALL_HINT} installs it from bookworm-backports)`,
      ]);
    }
    assert.deepEqual(
      environmentProblems({ ...GOOD, qemuVersion: "QEMU emulator version 9.0.0" }),
      [],
    );
  });
  await t.step("several problems, root first", () => {
    const problems = environmentProblems({
      uid: 1000,
      missing: ["qemu-system-x86_64"],
      qemuVersion: "",
    });
    assert.equal(problems.length, 2);
    assert.match(problems[0]!, /^not root/);
    assert.match(problems[1]!, /^qemu-system-x86_64 not on PATH/);
    assert.equal(
      environmentMessage(problems),
      `collect: cannot run on this host: ${problems[0]}; ${problems[1]}`,
    );
  });
});

Deno.test("startFailure() turns a host command's failure into one line, and leaves bugs alone", async (t) => {
  await t.step("ip netns without root", () => {
    const cause = new Error(
      "command failed (exit 1): ip netns add lmc12a: mount --make-shared /run/netns failed: Operation not permitted",
    );
    const error = startFailure(cause);
    assert.ok(error instanceof CollectSetupError);
    assert.equal(
      error.message,
      `collect: ip netns failed on this host, the collector needs root (sudo) and iproute2 (${INSTALL_HINT}) (got ${cause.message})`,
    );
    assert.equal(error.cause, cause);
  });
  await t.step("gcc", () => {
    const error = startFailure(new Error("command failed (exit 1): gcc -O2 -static x.c: no libc"));
    assert.match(error!.message, /^collect: gcc failed on this host, the collector needs gcc \(/);
  });
  await t.step("the guest build without busybox", () => {
    const error = startFailure(
      new Error("buildGuest: no busybox, expected package busybox-static installed"),
    );
    assert.equal(
      error!.message,
      `collect: cannot build the guest: no busybox, expected package busybox-static installed (${INSTALL_HINT})`,
    );
  });
  await t.step("a command that cannot be spawned", () => {
    const error = startFailure(
      new Deno.errors.NotFound("Failed to spawn 'nice': entity not found"),
    );
    assert.match(error!.message, /^collect: a command is missing on this host \(Failed to spawn/);
  });
  await t.step("a bug is not the host's", () => {
    assert.equal(startFailure(new TypeError("x is undefined")), undefined);
    assert.equal(startFailure(new Deno.errors.NotFound("no such file: /x")), undefined);
    assert.equal(startFailure("a string"), undefined);
  });
});

Deno.test("hostFacts() finds the commands on this PATH", async () => {
  const facts = await hostFacts();
  assert.equal(facts.uid, Deno.uid());
  for (const command of facts.missing) assert.ok(command in COLLECT_COMMANDS, command);
  // `sh` is on every PATH the tests run with.
  assert.ok(!facts.missing.includes("sh"));
  assert.equal(facts.qemuVersion === "", facts.missing.includes("qemu-system-x86_64"));
});
