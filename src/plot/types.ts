/**
 * The figure vocabulary shared by the figure specs and {@linkcode render}.
 *
 * A figure is a title, a legend, one or more Observable Plot panels stacked
 * top to bottom (they share the x axis when their x options agree) and a
 * caption. Specs are plain data plus Plot marks: no DOM, no I/O.
 *
 * @module
 */

/** How a legend entry is drawn. */
export type LegendSymbol =
  | "dot"
  | "ring"
  | "line"
  | "square"
  | "range"
  | "cross"
  | "triangle"
  | "diamond";

/** One legend entry: a symbol in a colour and its label. */
export interface LegendItem {
  /** The text beside the symbol. */
  label: string;
  /** A CSS colour. */
  color: string;
  /** How the symbol is drawn. */
  symbol: LegendSymbol;
}

/** One row of a legend: a bold label and its entries. */
export interface LegendSpec {
  /** The row's label (for example "WSS"). */
  label: string;
  /** The entries, left to right. */
  items: LegendItem[];
}

/**
 * The scale options of a panel that figure tests read; any other
 * Observable Plot scale option may be given too.
 */
export interface PanelScaleOptions {
  /** The scale type ("linear", "log", "ordinal", ...). */
  type?: string;
  /** The scale's domain. */
  domain?: unknown[];
  /** The scale's range (colours for a colour scale). */
  range?: unknown[];
  /** The axis label, or null for none. */
  label?: string | null;
  /** Explicit tick values. */
  ticks?: unknown;
  /** Any other Observable Plot scale option. */
  [option: string]: unknown;
}

/**
 * Observable Plot options for one panel (`Plot.plot`'s argument, without
 * title, caption or legend): the fields figure tests read are typed, the
 * rest pass through to Plot as they are.
 */
export interface PanelPlotOptions {
  /** Width, CSS pixels. */
  width?: number;
  /** Height, CSS pixels. */
  height?: number;
  /** The x scale. */
  x?: PanelScaleOptions;
  /** The y scale. */
  y?: PanelScaleOptions;
  /** The horizontal facet scale. */
  fx?: PanelScaleOptions;
  /** The vertical facet scale. */
  fy?: PanelScaleOptions;
  /** The colour scale. */
  color?: PanelScaleOptions;
  /** The marks (Observable Plot mark objects). */
  marks?: unknown[];
  /** Any other Observable Plot option (margins, style, ...). */
  [option: string]: unknown;
}

/** One panel of a figure: Observable Plot options without title or legend. */
export interface PanelSpec {
  /** A short name for the panel ("main", "residual-seconds", ...). */
  name: string;
  /** The options handed to `Plot.plot` (width and height included). */
  plot: PanelPlotOptions;
}

/** A whole figure: what {@linkcode render} draws into one SVG or PNG. */
export interface FigureSpec {
  /** The title, drawn bold at the top. */
  title: string;
  /** A line under the title. */
  subtitle: string;
  /** The caption under the panels: data source, fitted parameters. */
  caption: string;
  /** Legend rows, drawn under the subtitle. */
  legends: LegendSpec[];
  /** The panels, top to bottom. */
  panels: PanelSpec[];
  /** The figure's width, in CSS pixels (every panel has this width). */
  widthPixels: number;
}

/** Where the figure's data came from. */
export interface DataSource {
  /** One sentence: which dataset, which machine, who measured (or how it was generated). */
  description: string;
  /**
   * Whether the data are synthetic (generated from a model, not measured).
   * Synthetic figures say "SYNTHETIC" in their title and caption.
   */
  synthetic: boolean;
}
