import assert from "node:assert/strict";
import { CollectSetupError } from "./collect_setup_error.ts";

Deno.test("CollectSetupError is an Error with its own name, message and cause", () => {
  const cause = new Error("command failed (exit 1): ip netns add lmc1a: Operation not permitted");
  const error = new CollectSetupError("collect: ip netns failed on this host", { cause });
  assert.ok(error instanceof Error);
  assert.ok(!(error instanceof RangeError));
  assert.equal(error.name, "CollectSetupError");
  assert.equal(error.message, "collect: ip netns failed on this host");
  assert.equal(error.cause, cause);
  assert.match(String(error), /^CollectSetupError: collect: ip netns failed/);
});
