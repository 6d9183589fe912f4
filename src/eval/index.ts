/** `pixel eval` as a library: score methods, presets and configs on a set of images (QUALITY.md). */
export {
  evaluateSet,
  methodColumns,
  presetColumns,
  configColumn,
  defaultMethods,
  DEFAULT_METHODS,
  DEFAULT_GRID,
  DEFAULT_FULL,
  EVAL_SPACES,
} from './evaluate.js';
export type { EvalColumn, EvalJob, EvalOptions, EvalResult, EvalSpace, ColumnSummary, ColumnScores, ImageResult, KeptImage, ScoreStats, Stat } from './evaluate.js';
export { formatTables, markdownTables, toJson, jobTitle, SPACE_TITLES } from './format.js';
export { evalSheet, sheetRows, sheetCellSize, sheetScale, SHEET_GAP, SHEET_LABEL_HEIGHT } from './sheet.js';
