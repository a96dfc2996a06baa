/**
 * k·P_1, …, k·P_n for one secret scalar k (the VSOT sender's b·A_l). @spec SPEC.md §3.4
 */
import type { Point } from './ec.js';

export function mulSameScalar(k: bigint, points: readonly Point[]): Point[] {
  return points.map((p) => p.multiply(k));
}
