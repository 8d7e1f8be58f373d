/**
 * The fee arithmetic (R20), pure and in integer fen: which band of a standard applies to a
 * wage, and what it charges. 2‰ of a wage is `wage × 2 ÷ 1000` by integer division, never a
 * floating-point product.
 */
import { yuan } from './money';

/** One band, as stored (models/FeeStandardBand.ts). */
export interface FeeBand {
  wageFromFen: number;
  flatFen: number | null;
  ratePerMille: number | null;
  roundingFen: number | null;
  capFen: number | null;
}

/** `a ÷ b` rounded down, for non-negative integers, exactly. */
const floorDiv = (a: number, b: number): number => (a - (a % b)) / b;

/** The band for a monthly wage: the one starting highest at or below it (no wage: the first). */
export function bandFor(bands: readonly FeeBand[], wageFen: number | null): FeeBand | null {
  let best: FeeBand | null = null;
  for (const b of bands) {
    if (wageFen !== null && b.wageFromFen > wageFen) continue;
    if (wageFen === null && b.wageFromFen > 0) continue;
    if (!best || b.wageFromFen > best.wageFromFen) best = b;
  }
  return best;
}

/** What one band charges a month for a wage (fen). */
export function bandAmount(band: FeeBand, wageFen: number | null): number {
  if (band.ratePerMille === null) return band.flatFen ?? 0;
  const raw = floorDiv(Math.max(0, wageFen ?? 0) * band.ratePerMille, 1000);
  const unit = band.roundingFen && band.roundingFen > 0 ? band.roundingFen : 1;
  const rounded = raw - (raw % unit);
  return band.capFen === null ? rounded : Math.min(rounded, band.capFen);
}

/**
 * The monthly amount due (fen) under a standard's bands for one category; null when the bands
 * need a wage and none is known.
 * @example monthlyDueFen(WAGE_2016, 249_900) // 400 (2,499 元 × 2‰ = 4.998 元 → 4 元)
 */
export function monthlyDueFen(bands: readonly FeeBand[], wageFen: number | null): number | null {
  const needsWage = bands.some((b) => b.wageFromFen > 0 || b.ratePerMille !== null);
  if (needsWage && wageFen === null) return null;
  const band = bandFor(bands, wageFen);
  return band ? bandAmount(band, wageFen) : null;
}

/** One band's rule in Chinese. */
function bandRule(b: FeeBand, next: FeeBand | undefined): string {
  const range = next
    ? b.wageFromFen === 0
      ? `${yuan(next.wageFromFen)} 元以下`
      : `${yuan(b.wageFromFen)} 元至 ${yuan(next.wageFromFen)} 元以下`
    : b.wageFromFen > 0
      ? `${yuan(b.wageFromFen)} 元及以上`
      : '';
  if (b.ratePerMille === null) return `${range}每月 ${yuan(b.flatFen ?? 0)} 元`;
  const rounding = b.roundingFen && b.roundingFen > 1 ? `，去尾取整到 ${yuan(b.roundingFen)} 元` : '';
  const cap = b.capFen !== null ? `，每月最多 ${yuan(b.capFen)} 元` : '';
  return `${range}按月收入的 ${b.ratePerMille}‰ 交纳${rounding}${cap}`;
}

/** The bands' rule in Chinese: `每月 0.2 元`, or by wage bands (`税后月收入 2,000 元以下每月 3 元；…`). */
export function ruleText(bands: readonly FeeBand[]): string {
  const sorted = [...bands].sort((a, b) => a.wageFromFen - b.wageFromFen);
  const wageBased = sorted.length > 1 || sorted.some((b) => b.ratePerMille !== null);
  const parts = sorted.map((b, i) => bandRule(b, sorted[i + 1]));
  return wageBased ? `税后月收入${parts.join('；')}` : parts.join('；');
}
