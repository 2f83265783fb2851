// Private: parses and checks a dataset's `<name>.meta.json` sidecar. Pure.

import { parseJsonOrFail } from "./_json_values.ts";
import { Problems, showCell } from "./_problems.ts";
import type { DatasetMetadata } from "./types.ts";

const STRING_KEYS: Record<string, keyof DatasetMetadata> = {
  hypervisor: "hypervisor",
  hypervisor_version: "hypervisorVersion",
  host_cpu: "hostCpu",
  link: "link",
  guest: "guest",
  date: "date",
  measured_by: "measuredBy",
  source: "source",
  license: "license",
};

/**
 * Parses sidecar text. Throws a DatasetError naming `file` when the text is
 * not a JSON object or a known key has the wrong type.
 */
export function parseMetadata(text: string, file: string, maxProblems: number): DatasetMetadata {
  const problems = new Problems(file, maxProblems);
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const value = parseJsonOrFail(body, problems, "a JSON object");
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    problems.fail(
      { line: 1 },
      `${showCell(value)} is not a JSON object`,
      "a JSON object of metadata",
    );
  }
  const metadata: DatasetMetadata = { extra: {} };
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    const field = STRING_KEYS[key];
    if (field !== undefined) {
      if (typeof item !== "string") {
        problems.add({ field: key }, `${showCell(item)} is not a string`, "a string", item);
      } else (metadata as unknown as Record<string, unknown>)[field] = item;
    } else if (key === "synthetic") {
      if (typeof item !== "boolean") {
        problems.add(
          { field: key },
          `${showCell(item)} is not true or false`,
          "true or false",
          item,
        );
      } else metadata.synthetic = item;
    } else metadata.extra[key] = item;
  }
  problems.throwIfAny();
  return metadata;
}
