/**
 * Clustered-dot ordered dither: an 8×8 45° screen with two round dots per
 * tile (at the tile corner and the tile centre), the classic newspaper
 * halftone (R. Ulichney, "Digital Halftoning", MIT Press 1987, ch. 5:
 * clustered-dot ordered dither at 45°).
 *
 * The rank matrix below is data. It was derived from the Euclidean spot
 * function of PostScript (Adobe, "PostScript Language Reference", 3rd ed.,
 * 1999, §7.4.3: f(x, y) = 1 − (x² + y²)/2 inside the dot's diamond,
 * ((|x|−1)² + (|y|−1)²)/2 − 1 outside) evaluated at each pixel centre on the
 * 45° lattice u = (x + y)/8, v = (x − y)/8 (dot centres at integer u, v), and
 * ranked by increasing spot value, ties broken by angle then dot then raster
 * index; clusteredDotRanks() in the test recomputes it. Rank 63 (highest
 * threshold, first ink as the tone darkens) sits at a dot centre; rank 0
 * (first paper as the tone lightens) midway between dots: ink dots grow on
 * paper in the highlights and paper holes shrink in ink in the shadows,
 * meeting in a checkerboard at 50%.
 */
// prettier-ignore
export const CLUSTERED_DOT_8: readonly number[] = [
  58, 48, 16,  7,  2, 10, 42, 56,
  46, 34, 31, 23, 21, 26, 32, 44,
  14, 25, 39, 55, 53, 37, 28, 12,
   1,  9, 41, 63, 61, 51, 19,  4,
   3, 11, 43, 57, 59, 49, 17,  6,
  20, 27, 33, 45, 47, 35, 30, 22,
  52, 36, 29, 13, 15, 24, 38, 54,
  60, 50, 18,  5,  0,  8, 40, 62,
];
