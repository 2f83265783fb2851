// Private tick helpers for log axes (Figure 3).

/** Powers of ten in [low, high]. */
export function decades(low: number, high: number): number[] {
  const out: number[] = [];
  for (let e = Math.ceil(Math.log10(low) - 1e-9); e <= Math.floor(Math.log10(high) + 1e-9); e++) {
    out.push(Number(`1e${e}`));
  }
  return out;
}

/** 1-2-5 ticks covering the values' range (for a log axis); finer when that gives fewer than 3. */
export function niceLogTicks(values: readonly number[]): number[] {
  const positive = values.filter((v) => v > 0);
  const low = Math.min(...positive);
  const high = Math.max(...positive);
  const ticks = (mantissas: readonly number[]) => {
    const out: number[] = [];
    for (let e = Math.floor(Math.log10(low)); e <= Math.ceil(Math.log10(high)); e++) {
      for (const m of mantissas) {
        const t = m * 10 ** e;
        if (t >= low * 0.999 && t <= high * 1.001) out.push(Number(t.toPrecision(6)));
      }
    }
    return out;
  };
  const coarse = ticks([1, 2, 5]);
  return coarse.length >= 3 ? coarse : ticks([1, 1.5, 2, 3, 5, 7]);
}
