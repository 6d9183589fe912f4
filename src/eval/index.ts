/** `pixel eval` as a library: score methods, presets and configs on a set of images (QUALITY.md). */
export { evaluateSet, DEFAULT_GRID, DEFAULT_FULL } from './evaluate.js';
export type { EvalOptions, EvalResult, ColumnSummary, ColumnScores, ImageResult, KeptImage } from './evaluate.js';
export { presetColumns, configColumn, defaultMethods, DEFAULT_METHODS, type EvalColumn } from './columns.js';
export { EVAL_SPACES, type EvalJob, type EvalSpace } from './reference.js';
export type { ScoreStats, Stat } from './statistics.js';
export { formatTables, markdownTables, toJson, jobTitle, SPACE_TITLES } from './format.js';
export { evalSheet, sheetRows, sheetCellSize, sheetScale, SHEET_GAP, SHEET_LABEL_HEIGHT } from './sheet.js';
