import assert from "node:assert/strict";
import { downtimeLimitCurves } from "../analysis/downtime_limit_curves.ts";
import { figureDowntimeLimitSpec } from "./figure_downtime_limit_spec.ts";
import { pngPool } from "./png_pool.ts";
import { render } from "./render.ts";

const figure = figureDowntimeLimitSpec(downtimeLimitCurves());

Deno.test("pngPool() gives on its worker the bytes render() gives on this thread", async () => {
  const svg = render(figure);
  const worker = pngPool({ workers: 1, scale: 1 });
  const serial = pngPool({ workers: 0, scale: 1 });
  try {
    const [a, b] = await Promise.all([worker.png(svg), worker.png(svg.replace("white", "#eee"))]);
    assert.deepEqual(a, render(figure, { format: "png", scale: 1 }));
    assert.deepEqual(await serial.png(svg), a);
    assert.notDeepEqual(b, a); // each answer goes to its own request
  } finally {
    worker.close();
    serial.close();
  }
});

Deno.test("pngPool() rejects bad SVG and a closed pool's requests", async () => {
  const worker = pngPool({ workers: 1 });
  try {
    await assert.rejects(worker.png("not svg"), /pngPool: resvg failed on the worker/);
    worker.close();
    await assert.rejects(worker.png(render(figure)), /pngPool: the pool is closed/);
  } finally {
    worker.close();
  }
  await assert.rejects(pngPool({ workers: 0 }).png("not svg"));
  assert.throws(() => pngPool({ workers: 2 as 1 }), /pngPool: invalid option "workers"/);
  assert.throws(() => pngPool({ scale: 0 }), RangeError);
});

Deno.test("pngPool() draws a figure from its recipe on the worker as render() draws it here", async () => {
  const recipe = {
    builder: "figureDowntimeLimitSpec",
    args: [downtimeLimitCurves(), {}],
  } as const;
  const worker = pngPool({ workers: 1, scale: 1 });
  const serial = pngPool({ workers: 0, scale: 1 });
  try {
    const drawn = await worker.figure({ builder: recipe.builder, args: [...recipe.args] });
    assert.equal(drawn.svg, render(figure));
    assert.deepEqual(drawn.png, render(figure, { format: "png", scale: 1 }));
    assert.deepEqual(
      await serial.figure({ builder: recipe.builder, args: [...recipe.args] }),
      drawn,
    );
    // A recipe that cannot be sent (a function in it) throws at once.
    assert.throws(
      () =>
        worker.figure({
          builder: recipe.builder,
          args: [downtimeLimitCurves(), { f: () => 1 } as never],
        }),
      (error: unknown) => error instanceof DOMException && error.name === "DataCloneError",
    );
  } finally {
    worker.close();
    serial.close();
  }
});
