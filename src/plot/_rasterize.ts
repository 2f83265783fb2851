// The PNG step of render(): resvg on an SVG text, with the DejaVu fonts. Kept
// apart from render.ts (Observable Plot, linkedom) so that a PNG worker
// (_png_worker.ts) loads resvg alone.
import { loadResvg } from "../_deps/resvg.ts";

/** How an SVG becomes a PNG: the pixels per CSS pixel and the fonts. */
export interface RasterizeOptions {
  /** PNG pixels per CSS pixel. */
  scale: number;
  /** Folders with the TrueType fonts. */
  fontDirs: string[];
  /** The font family used for text. */
  fontFamily: string;
}

/** render()'s PNG defaults: scale 2, Debian's DejaVu folder, DejaVu Sans. */
export const PNG_DEFAULTS: Readonly<RasterizeOptions> = Object.freeze({
  scale: 2,
  fontDirs: ["/usr/share/fonts/truetype/dejavu"],
  fontFamily: "DejaVu Sans",
});

/**
 * Rasterises SVG text with resvg on a white background, zoomed by `scale`,
 * with the fonts of `fontDirs` only (no system font scan).
 *
 * @param svg The SVG text (as render() composes it).
 * @param options The scale and fonts.
 * @returns The PNG bytes.
 */
export function rasterizeSvg(svg: string, options: RasterizeOptions): Uint8Array {
  const { Resvg } = loadResvg();
  const resvg = new Resvg(svg, {
    background: "white",
    fitTo: { mode: "zoom", value: options.scale },
    font: {
      loadSystemFonts: false,
      fontDirs: options.fontDirs,
      defaultFontFamily: options.fontFamily,
      sansSerifFamily: options.fontFamily,
    },
  });
  return new Uint8Array(resvg.render().asPng());
}
