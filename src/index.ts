/** pixel's public library API. */
export { defineConfig, definePreset } from './config/types.js';
export type { PixelConfig, Preset, Rule, OutputConfig } from './config/types.js';
export { resolveConfig } from './config/resolve.js';
export type { ResolvedConfig } from './config/resolve.js';
export { loadConfig } from './config/load.js';
export { convert, createPipeline, Engine } from './convert.js';
export type { ConvertOptions, ConvertResult, RunContext } from './convert.js';
export { PixelError } from './pipeline/errors.js';
export type { ErrorCode } from './pipeline/errors.js';
export type { Pipeline, RunOptions, StepConfig, StepEvent } from './pipeline/pipeline.js';
export { definePlugin, binaryTensor, toneTensor, isBinary } from './pipeline/types.js';
export type {
  Accepts,
  BinaryTensor,
  Channels,
  ColorSpace,
  ImageTensor,
  Palette,
  Plugin,
  RGB,
  Step,
  StepContext,
  TemporalStability,
  TensorKind,
  ToneTensor,
  ValueRange,
} from './pipeline/types.js';
export * as options from './pipeline/options.js';
export { srgbToLinear, linearToSrgb, inSpace, parseHexColor } from './image/color.js';
export { decodeImage } from './image/decode.js';
export { encode, FORMATS } from './image/encode/index.js';
export { builtinPlugins } from './plugins/index.js';
export { builtinPresets } from '../presets/index.js';
