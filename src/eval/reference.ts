/**
 * What each column is given and scored against, for one decoded image
 * (QUALITY.md): the job's gray is luminance in linear light, area-averaged to
 * the job's long side. Methods are given that gray and scored against it;
 * presets and configs without a resize are given the source area-averaged to
 * the same size in colour; ones with their own resize steps run on the
 * source and are scored against the source gray through those steps with the
 * box kernel. References are computed once per image and geometry.
 */
import { inSpace } from '../image/color.js';
import { resizeBox } from '../kernels/resize.js';
import { referenceFrom } from '../metrics/index.js';
import type { ResolvedStep } from '../pipeline/pipeline.js';
import type { ImageTensor, Step, ToneTensor } from '../pipeline/types.js';
import { resizePlan } from '../plugins/resize/index.js';

export type EvalSpace = 'linear' | 'srgb';
export const EVAL_SPACES: readonly EvalSpace[] = ['linear', 'srgb'];

/** Which of QUALITY.md's two jobs: `grid` (pixel art, default long side 128) or `full` (halftone, e.g. 512). */
export interface EvalJob {
  kind: 'grid' | 'full';
  /** Long side of the binarized image in pixels. */
  longSide: number;
}

/** A column's own resize steps, remade with the box kernel to resize its reference (built once per run). */
export interface ReferenceResize {
  /** Same key, same reference geometry. */
  key: string;
  steps: Step[];
}

export async function referenceResize(resizes: readonly ResolvedStep[]): Promise<ReferenceResize> {
  const steps = await Promise.all(resizes.map((r) => r.plugin.create({ ...(r.options as object), kernel: 'box', oversample: 1 } as never)));
  return { key: JSON.stringify(resizes.map((r) => r.options)), steps };
}

/** Gray (1 channel) tensor in linear light. */
function grayTensor(width: number, height: number, data: Float32Array): ToneTensor {
  return { width, height, channels: 1, range: 'unit', space: 'linear', data };
}

/** One image's job inputs and references, each made on first use. */
export class ImageReferences {
  /** The job's gray: what methods are given, and the reference of columns without a resize. */
  readonly gray: ToneTensor;
  /** Time to make the job's gray (counted in methods' total time). */
  readonly msGray: number;
  private readonly fullGray: Float32Array;
  private color?: { tensor: ToneTensor; ms: number };
  private readonly bySize = new Map<string, Record<EvalSpace, Float32Array | undefined>>();

  constructor(
    private readonly source: ToneTensor,
    job: EvalJob,
    private readonly spaces: readonly EvalSpace[],
  ) {
    const t0 = performance.now();
    const plan = resizePlan(source.width, source.height, { longSide: job.longSide })!;
    this.fullGray = referenceFrom(source, 'linear');
    this.gray = grayTensor(plan.width, plan.height, resizeBox(this.fullGray, source.width, source.height, 1, plan.width, plan.height));
    this.msGray = performance.now() - t0;
  }

  /** The source area-averaged to the job's size, colour kept, linear light (presets and configs without a resize). */
  jobColor(): { tensor: ToneTensor; ms: number } {
    if (!this.color) {
      const t0 = performance.now();
      const { source, gray } = this;
      const lin = inSpace(source, 'linear');
      const data = source.channels === 1 ? gray.data : resizeBox(lin.data, source.width, source.height, source.channels, gray.width, gray.height);
      // No transparency mask: scoring sees alpha flattened onto paper, as the reference does.
      const tensor: ToneTensor = { width: gray.width, height: gray.height, channels: lin.channels, range: 'unit', space: 'linear', data };
      this.color = { tensor, ms: performance.now() - t0 };
    }
    return this.color;
  }

  /** The reference planes (per space) for a column's output of this size. */
  async forOutput(resize: ReferenceResize | undefined, out: ImageTensor): Promise<Record<EvalSpace, Float32Array | undefined>> {
    let key = '';
    let plane = this.gray;
    if (resize) {
      // The column's own resize steps, with the box kernel, on the full-size gray.
      plane = grayTensor(this.source.width, this.source.height, this.fullGray);
      for (const step of resize.steps) plane = (await step.run(plane, { warn: () => {} })) as ToneTensor;
      key = resize.key;
    }
    if (plane.width !== out.width || plane.height !== out.height) {
      // A step changed the size in a way the resize steps do not explain: area-average the whole source to it.
      key = `${out.width}x${out.height}`;
      plane = grayTensor(out.width, out.height, resizeBox(this.fullGray, this.source.width, this.source.height, 1, out.width, out.height));
    }
    let refs = this.bySize.get(key);
    if (!refs) {
      refs = { linear: plane.data, srgb: this.spaces.includes('srgb') ? referenceFrom(plane, 'srgb') : undefined };
      this.bySize.set(key, refs);
    }
    return refs;
  }
}
