/**
 * Shapes of fit results, shared by the fits, predictions and figures.
 *
 * @module
 */

/** A fitted multiplicative factor with its 95 % interval. */
export interface FactorEstimate {
  /** B_group = B × factor; 1 for the baseline. */
  factor: number;
  /** Lower end of the 95 % interval. */
  low: number;
  /** Upper end of the 95 % interval. */
  high: number;
}

/** Error metrics over a set of runs (measured - estimated). */
export interface ErrorMetrics {
  /** Number of runs. */
  count: number;
  /** Root mean square error, seconds. */
  rmseSeconds: number;
  /** Mean absolute error, seconds. */
  maeSeconds: number;
  /** Mean absolute percentage error, percent. */
  mapePercent: number;
  /** Largest absolute error, seconds. */
  maxErrorSeconds: number;
  /** Coefficient of determination. */
  rSquared: number;
  /** Mean of measured - estimated, seconds. */
  biasSeconds: number;
}
