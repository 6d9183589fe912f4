/**
 * Fill patterns for flat areas, as data: each is a small rank matrix tiled
 * over the grid (phase locked to pixel (0,0), so equal tones join seamlessly
 * across regions). A tone quantised to level j of n (n = cells) shows ink
 * where rank < n − j: the ink of a lighter level is always a subset of the
 * ink of a darker one, so neighbouring levels mesh without seams.
 */
export interface FillPattern {
  /** Rank of each cell, 0 = first to take ink; row-major, width × height. */
  ranks: readonly number[];
  width: number;
  height: number;
  description: string;
}

export const FILL_PATTERNS = {
  // Diagonal hatching: 25 % and 75 % are 45° lines with period 4, 50 % the
  // checker. No pixel of a flat fill is alone (every one touches a diagonal
  // neighbour of its colour), and all three sit at high spatial frequency.
  diagonal: { width: 4, height: 4, ranks: diagonalRanks(), description: 'solid, 25 % / 75 % diagonal hatching, 50 % checker, solid' },
  // MacPaint's patterns: 25 % and 75 % as one dot per 2×2 cell, 50 % checker.
  dots: { width: 2, height: 2, ranks: [0, 2, 3, 1], description: 'solid, 25 % dots, 50 % checker, 75 % dots, solid (MacPaint)' },
  // The 17 levels of Bayer's 4×4 ordered screen.
  'bayer-4': { width: 4, height: 4, ranks: [0, 8, 2, 10, 12, 4, 14, 6, 3, 11, 1, 9, 15, 7, 13, 5], description: "17 levels of Bayer's 4×4 ordered screen" },
  // Only ink and paper: posterised, no pattern.
  solid: { width: 1, height: 1, ranks: [0], description: 'ink and paper only, no pattern' },
} as const satisfies Record<string, FillPattern>;

export type FillPatternName = keyof typeof FILL_PATTERNS;
export const FILL_PATTERN_NAMES = Object.keys(FILL_PATTERNS) as FillPatternName[];

/** Ranks of (x + y) mod 4 → 0, 2, 1, 3: the 1-D Bayer order along the diagonal. */
function diagonalRanks(): number[] {
  const order = [0, 2, 1, 3];
  const out: number[] = [];
  for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) out.push(order[(x + y) % 4]);
  return out;
}

/** Number of levels above ink: a pattern with n distinct ranks has n + 1 levels (0..n). */
export function patternLevels(p: FillPattern): number {
  return new Set(p.ranks).size;
}
