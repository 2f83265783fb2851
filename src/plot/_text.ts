// Private text helpers for the SVG composer: escaping, width estimates and
// line wrapping. Widths are estimates for DejaVu Sans (the font the PNG
// renderer loads): about 0.6 em per character on average.

/** Escapes text for SVG character data and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) =>
      c === "&"
        ? "&amp;"
        : c === "<"
        ? "&lt;"
        : c === ">"
        ? "&gt;"
        : c === '"'
        ? "&quot;"
        : "&#39;",
  );
}

/** Estimated width of `text` at `fontPixels`, in pixels. */
export function textWidth(text: string, fontPixels: number, bold = false): number {
  return text.length * fontPixels * (bold ? 0.66 : 0.6);
}

/** Breaks `text` into lines no wider than `widthPixels` (explicit "\n" kept). */
export function wrapText(text: string, widthPixels: number, fontPixels: number): string[] {
  const maxChars = Math.max(10, Math.floor(widthPixels / (fontPixels * 0.6)));
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (const word of paragraph.split(/\s+/).filter((w) => w.length > 0)) {
      if (line.length === 0) line = word;
      else if (line.length + 1 + word.length <= maxChars) line += " " + word;
      else {
        lines.push(line);
        line = word;
      }
    }
    lines.push(line);
  }
  return lines;
}
