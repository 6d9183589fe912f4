/**
 * Coefficient tables for variable-coefficient error diffusion (data only).
 *
 * Both methods diffuse to three neighbours, right (r), down-left (dl) and
 * down (d), with weights that depend on the ORIGINAL input level of the pixel
 * (0..255). Both tables are symmetric about mid-gray: level l > 127 uses the
 * entry for 255 - l, so only levels 0..127 are stored.
 */

/**
 * V. Ostromoukhov, "A Simple and Efficient Error-Diffusion Algorithm",
 * Proc. ACM SIGGRAPH 2001, pp. 567–572. The 256-entry table is the one
 * published with the paper (the author's varcoeffED.c, version 1, August
 * 2001): rows are [r, dl, d, divisor] for levels 0..127; levels 128..255
 * mirror them (the published table is exactly symmetric).
 */
// prettier-ignore
export const OSTROMOUKHOV_TABLE: readonly (readonly [number, number, number, number])[] = [
  [13, 0, 5, 18], [13, 0, 5, 18], [21, 0, 10, 31], [7, 0, 4, 11], [8, 0, 5, 13], [47, 3, 28, 78], [23, 3, 13, 39], [15, 3, 8, 26],
  [22, 6, 11, 39], [43, 15, 20, 78], [7, 3, 3, 13], [501, 224, 211, 936], [249, 116, 103, 468], [165, 80, 67, 312], [123, 62, 49, 234], [489, 256, 191, 936],
  [81, 44, 31, 156], [483, 272, 181, 936], [60, 35, 22, 117], [53, 32, 19, 104], [237, 148, 83, 468], [471, 304, 161, 936], [3, 2, 1, 6], [459, 304, 161, 924],
  [38, 25, 14, 77], [453, 296, 175, 924], [225, 146, 91, 462], [149, 96, 63, 308], [111, 71, 49, 231], [63, 40, 29, 132], [73, 46, 35, 154], [435, 272, 217, 924],
  [108, 67, 56, 231], [13, 8, 7, 28], [213, 130, 119, 462], [423, 256, 245, 924], [5, 3, 3, 11], [281, 173, 162, 616], [141, 89, 78, 308], [283, 183, 150, 616],
  [71, 47, 36, 154], [285, 193, 138, 616], [13, 9, 6, 28], [41, 29, 18, 88], [36, 26, 15, 77], [289, 213, 114, 616], [145, 109, 54, 308], [291, 223, 102, 616],
  [73, 57, 24, 154], [293, 233, 90, 616], [21, 17, 6, 44], [295, 243, 78, 616], [37, 31, 9, 77], [27, 23, 6, 56], [149, 129, 30, 308], [299, 263, 54, 616],
  [75, 67, 12, 154], [43, 39, 6, 88], [151, 139, 18, 308], [303, 283, 30, 616], [38, 36, 3, 77], [305, 293, 18, 616], [153, 149, 6, 308], [307, 303, 6, 616],
  [1, 1, 0, 2], [101, 105, 2, 208], [49, 53, 2, 104], [95, 107, 6, 208], [23, 27, 2, 52], [89, 109, 10, 208], [43, 55, 6, 104], [83, 111, 14, 208],
  [5, 7, 1, 13], [172, 181, 37, 390], [97, 76, 22, 195], [72, 41, 17, 130], [119, 47, 29, 195], [4, 1, 1, 6], [4, 1, 1, 6], [4, 1, 1, 6],
  [4, 1, 1, 6], [4, 1, 1, 6], [4, 1, 1, 6], [4, 1, 1, 6], [4, 1, 1, 6], [4, 1, 1, 6], [65, 18, 17, 100], [95, 29, 26, 150],
  [185, 62, 53, 300], [30, 11, 9, 50], [35, 14, 11, 60], [85, 37, 28, 150], [55, 26, 19, 100], [80, 41, 29, 150], [155, 86, 59, 300], [5, 3, 2, 10],
  [5, 3, 2, 10], [5, 3, 2, 10], [5, 3, 2, 10], [5, 3, 2, 10], [5, 3, 2, 10], [5, 3, 2, 10], [5, 3, 2, 10], [5, 3, 2, 10],
  [5, 3, 2, 10], [5, 3, 2, 10], [5, 3, 2, 10], [5, 3, 2, 10], [305, 176, 119, 600], [155, 86, 59, 300], [105, 56, 39, 200], [80, 41, 29, 150],
  [65, 32, 23, 120], [55, 26, 19, 100], [335, 152, 113, 600], [85, 37, 28, 150], [115, 48, 37, 200], [35, 14, 11, 60], [355, 136, 109, 600], [30, 11, 9, 50],
  [365, 128, 107, 600], [185, 62, 53, 300], [25, 8, 7, 40], [95, 29, 26, 150], [385, 112, 103, 600], [65, 18, 17, 100], [395, 104, 101, 600], [4, 1, 1, 6],
];

/**
 * B. Zhou, X. Fang, "Improving Mid-tone Quality of Variable-Coefficient Error
 * Diffusion Using Threshold Modulation", ACM Trans. Graph. 22(3) (Proc.
 * SIGGRAPH 2003), pp. 437–444. The paper optimises the three coefficients at
 * key levels and interpolates linearly in between; these are the key rows
 * [level, r, dl, d] of the authors' reference implementation (TMED, 2003),
 * whose 128-row interpolated table they reproduce to 6 decimals (tested).
 */
// prettier-ignore
export const ZHOU_FANG_KEYS: readonly (readonly [number, number, number, number])[] = [
  [0, 13, 0, 5], [1, 1300249, 0, 499250], [2, 214114, 287, 99357], [3, 351854, 0, 199965], [4, 801100, 0, 490999],
  [10, 704075, 297466, 303694], [22, 46613, 31917, 21469], [32, 47482, 30617, 21900], [40, 45959, 24089, 29950],
  [44, 43024, 42131, 14826], [64, 36411, 43219, 20369], [72, 38477, 53843, 7678], [77, 40503, 51547, 7948],
  [85, 35865, 34108, 30026], [95, 34117, 36899, 28983], [102, 35132, 36059, 28807], [107, 16477, 18810, 14712],
  [112, 33360, 37954, 28685], [127, 35269, 36066, 28664],
];

/**
 * Zhou–Fang threshold-modulation strength in percent for levels 0..127
 * (mirrored above), as interpolated in the authors' reference implementation:
 * the threshold is 128 + rand(0..127)·strength/100 on the 0..255 scale.
 */
// prettier-ignore
export const ZHOU_FANG_STRENGTH: readonly number[] = [
  0, 0, 1, 2, 3, 3, 4, 5, 6, 6, 7, 8, 9, 9, 10, 11, 12, 12, 13, 14, 15, 15, 16, 17, 18, 18, 19, 20, 21, 21, 22, 23,
  24, 24, 25, 26, 27, 27, 28, 29, 30, 31, 32, 33, 34, 34, 35, 36, 37, 38, 38, 39, 40, 41, 42, 42, 43, 44, 45, 46, 46, 47,
  48, 49, 50, 53, 56, 59, 62, 65, 68, 71, 75, 78, 81, 84, 87, 90, 93, 96, 100, 100, 100, 100, 100, 100, 91, 83, 75, 66,
  58, 50, 41, 33, 25, 17, 21, 26, 31, 35, 40, 45, 50, 54, 58, 62, 66, 70, 71, 73, 75, 77, 79, 80, 81, 83, 84, 86, 87,
  88, 90, 91, 93, 94, 95, 97, 98, 100,
];

/** Normalised [r, dl, d] for all 256 levels, flat (3 per level), from Ostromoukhov's table. */
export function ostromoukhovWeights(): Float64Array {
  const w = new Float64Array(256 * 3);
  for (let l = 0; l < 256; l++) {
    const [r, dl, d, sum] = OSTROMOUKHOV_TABLE[l < 128 ? l : 255 - l];
    w[l * 3] = r / sum;
    w[l * 3 + 1] = dl / sum;
    w[l * 3 + 2] = d / sum;
  }
  return w;
}

/** Normalised [r, dl, d] for all 256 levels, linearly interpolated between Zhou–Fang's key levels. */
export function zhouFangWeights(): Float64Array {
  const half = new Float64Array(128 * 3);
  for (let k = 0; k + 1 < ZHOU_FANG_KEYS.length; k++) {
    const [l0, ...a] = ZHOU_FANG_KEYS[k];
    const [l1, ...b] = ZHOU_FANG_KEYS[k + 1];
    const sa = a[0] + a[1] + a[2];
    const sb = b[0] + b[1] + b[2];
    for (let l = l0; l <= l1; l++) {
      const t = (l - l0) / (l1 - l0);
      for (let j = 0; j < 3; j++) half[l * 3 + j] = (a[j] / sa) * (1 - t) + (b[j] / sb) * t;
    }
  }
  const w = new Float64Array(256 * 3);
  for (let l = 0; l < 256; l++) w.set(half.subarray((l < 128 ? l : 255 - l) * 3, (l < 128 ? l : 255 - l) * 3 + 3), l * 3);
  return w;
}

/** Zhou–Fang modulation amplitude for all 256 levels on the unit scale: the threshold is 0.5 + u·amp, u uniform in [0, 1). */
export function zhouFangModulation(): Float64Array {
  const m = new Float64Array(256);
  // 128 + rand%128 · s/100 on 0..255 → 0.5 + u · (128/255) · s/100 on 0..1.
  for (let l = 0; l < 256; l++) m[l] = (ZHOU_FANG_STRENGTH[l < 128 ? l : 255 - l] / 100) * (128 / 255);
  return m;
}
