// Private: checks the options shared by the job-statistics importers.

import { checkNumber, checkObject, showValue } from "../_validate.ts";
import type { ImportRunOptions } from "./types.ts";

/** Resolved importer options. */
export interface ResolvedImportOptions {
  contention: string;
  wssBytes: number | "full";
  method: string | undefined;
  dirtyPagesPerSecond: number | undefined;
  linkBandwidthBytesPerSecond: number | undefined;
  run: number | undefined;
  fileName: string | undefined;
  maxProblems: number;
}

const LABEL = /^[A-Za-z0-9][A-Za-z0-9 ._+/:-]{0,63}$/;

function label(where: string, field: string, value: unknown, example: string): string {
  if (typeof value !== "string" || !LABEL.test(value)) {
    throw new TypeError(
      `${where}: invalid option "${field}", expected a label such as "${example}" (got ${
        showValue(value)
      })`,
    );
  }
  return value;
}

/** Checks the shared importer options; `contention` and `wssBytes` are required. */
export function resolveImportOptions(
  where: string,
  options: ImportRunOptions,
  needMethod: boolean,
): ResolvedImportOptions {
  const o = checkObject(where, "options", options) as ImportRunOptions;
  if (o.contention === undefined) {
    throw new TypeError(
      `${where}: missing option "contention", expected a label such as "none" (the statistics do not say)`,
    );
  }
  if (o.wssBytes === undefined) {
    throw new TypeError(
      `${where}: missing option "wssBytes", expected bytes >= 0 or "full" (the statistics do not say)`,
    );
  }
  if (needMethod && o.method === undefined) {
    throw new TypeError(
      `${where}: missing option "method", expected a label such as "kvm-precopy" (the statistics do not say)`,
    );
  }
  const maxProblems = o.maxProblems === undefined
    ? 20
    : checkNumber(where, "option", "maxProblems", o.maxProblems, "integer>=1");
  if (o.fileName !== undefined && typeof o.fileName !== "string") {
    throw new TypeError(
      `${where}: invalid option "fileName", expected a string (got ${showValue(o.fileName)})`,
    );
  }
  return {
    contention: label(where, "contention", o.contention, "none"),
    wssBytes: o.wssBytes === "full"
      ? "full"
      : checkNumber(where, "option", "wssBytes", o.wssBytes, "non-negative", "bytes"),
    method: o.method === undefined ? undefined : label(where, "method", o.method, "kvm-precopy"),
    dirtyPagesPerSecond: o.dirtyPagesPerSecond === undefined ? undefined : checkNumber(
      where,
      "option",
      "dirtyPagesPerSecond",
      o.dirtyPagesPerSecond,
      "non-negative",
      "pages/s",
    ),
    linkBandwidthBytesPerSecond: o.linkBandwidthBytesPerSecond === undefined
      ? undefined
      : checkNumber(
        where,
        "option",
        "linkBandwidthBytesPerSecond",
        o.linkBandwidthBytesPerSecond,
        "positive",
        "bytes/s",
      ),
    run: o.run === undefined ? undefined : checkNumber(where, "option", "run", o.run, "integer>=0"),
    fileName: o.fileName,
    maxProblems,
  };
}

/** W in bytes, checked against M. */
export function resolveWss(where: string, wss: number | "full", memoryBytes: number): number {
  if (wss === "full") return memoryBytes;
  if (wss > memoryBytes) {
    throw new RangeError(
      `${where}: invalid option "wssBytes", expected bytes <= the memory size ${memoryBytes} (got ${wss})`,
    );
  }
  return wss;
}
