/**
 * Two convolution-gradient kernels for the wasm backend, written as work the
 * backend already runs fast:
 *
 * - Conv2DBackpropFilter is missing from tfjs-backend-wasm 4.22. We compute
 *   it as one matrix product: the k×k shifted views of the padded input,
 *   stacked along channels (im2col, [N·H·W, k·k·cin]), transposed times dy
 *   ([N·H·W, cout]) gives [k·k·cin, cout], which is the filter layout.
 * - Conv2DBackpropInput exists but is very slow (a naive loop). For stride 1
 *   it equals a forward 'valid' convolution of dy, padded by k−1−pad, with
 *   the filter rotated 180° and its in/out channels swapped (the "full
 *   correlation" identity, e.g. Dumoulin & Visin, "A guide to convolution
 *   arithmetic for deep learning", 2016, §4). Other cases fall back to the
 *   original kernel.
 *
 * Both are registered over the wasm backend only, once.
 */
import type { TF } from './tf-type.js';

type TensorInfo = { dataId: object; shape: number[]; dtype: string };
type Tensor4D = import('@tensorflow/tfjs').Tensor4D;

let registered = false;

interface ConvAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | unknown;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape?: [number, number, number, number];
  inputShape?: [number, number, number, number];
}

function pair(v: number | [number, number]): [number, number] {
  return typeof v === 'number' ? [v, v] : v;
}

/** dW for x [n,h,w,cin], dy [n,oh,ow,cout], filter [kh,kw,cin,cout]. */
export function conv2dFilterGrad(tf: TF, x: Tensor4D, dy: Tensor4D, filterShape: [number, number, number, number], attrs: ConvAttrs): Tensor4D {
  return tf.tidy(() => {
    const [kh, kw, cin, cout] = filterShape;
    const [sh, sw] = pair(attrs.strides);
    const info = tf.backend_util.computeConv2DInfo(
      x.shape, filterShape, [sh, sw], 1, attrs.pad as 'same', attrs.dimRoundingMode,
    );
    const { top, left } = info.padInfo;
    const [n, h, w] = x.shape;
    const oh = dy.shape[1];
    const ow = dy.shape[2];
    // Enough padding on every side for all k×k views of the output grid.
    const bottom = Math.max(0, (oh - 1) * sh + kh - (h + top));
    const right = Math.max(0, (ow - 1) * sw + kw - (w + left));
    const xp = top || left || bottom || right ? tf.pad(x, [[0, 0], [top, bottom], [left, right], [0, 0]]) : x;
    const views: Tensor4D[] = [];
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        views.push(
          sh === 1 && sw === 1
            ? tf.slice(xp, [0, i, j, 0], [n, oh, ow, cin])
            : (tf.stridedSlice(xp, [0, i, j, 0], [n, i + (oh - 1) * sh + 1, j + (ow - 1) * sw + 1, cin], [1, sh, sw, 1]) as Tensor4D),
        );
      }
    }
    // cols: [n·oh·ow, kh·kw·cin], (i, j) outer and cin inner, as the filter layout.
    const cols = (views.length === 1 ? views[0] : tf.concat(views, 3)).reshape([n * oh * ow, kh * kw * cin]);
    const g = tf.matMul(cols, dy.reshape([n * oh * ow, cout]), true, false); // [kh·kw·cin, cout]
    return g.reshape([kh, kw, cin, cout]) as Tensor4D;
  });
}

/** dx for stride 1 via a forward convolution; undefined when that identity does not apply. */
export function conv2dInputGrad(tf: TF, dy: Tensor4D, filter: Tensor4D, inputShape: [number, number, number, number], attrs: ConvAttrs): Tensor4D | undefined {
  const [sh, sw] = pair(attrs.strides);
  if (sh !== 1 || sw !== 1) return undefined;
  const [kh, kw] = filter.shape;
  const info = tf.backend_util.computeConv2DInfo(inputShape, filter.shape, [1, 1], 1, attrs.pad as 'same', attrs.dimRoundingMode);
  const { top, left } = info.padInfo;
  const [, h, w] = inputShape;
  const pt = kh - 1 - top;
  const pl = kw - 1 - left;
  const pb = h + kh - 1 - pt - dy.shape[1];
  const pr = w + kw - 1 - pl - dy.shape[2];
  if (pt < 0 || pl < 0 || pb < 0 || pr < 0) return undefined;
  return tf.tidy(() => {
    const dyp = pt || pl || pb || pr ? tf.pad(dy, [[0, 0], [pt, pb], [pl, pr], [0, 0]]) : dy;
    // [kh,kw,cin,cout] → rotate 180° → [kh,kw,cout,cin]
    const wt = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]) as Tensor4D;
    return tf.conv2d(dyp, wt, 1, 'valid');
  });
}

/** Registers both kernels over the wasm backend (idempotent). */
export function registerWasmGradKernels(tf: TF): void {
  if (registered) return;
  registered = true;
  const engine = tf.engine();
  // Kernel inputs are normally the Tensors themselves: use them as they are.
  // A bare TensorInfo gets a wrapper with its own backend reference, because
  // makeTensorFromTensorInfo does not take one and disposing the wrapper would
  // otherwise free the caller's data.
  const asTensor = (t: TensorInfo): Tensor4D => {
    if (t instanceof tf.Tensor) return t as Tensor4D;
    const x = engine.makeTensorFromTensorInfo(t as never) as Tensor4D;
    (engine.backend as unknown as { incRef(id: object): void }).incRef(t.dataId);
    return x;
  };

  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) tf.unregisterKernel('Conv2DBackpropFilter', 'wasm');
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs }) => {
      const a = attrs as unknown as ConvAttrs;
      if (a.dataFormat && a.dataFormat !== 'NHWC') throw new Error('Conv2DBackpropFilter (pixel, wasm): only NHWC is supported');
      return tf.tidy(() => conv2dFilterGrad(tf, asTensor(inputs.x as TensorInfo), asTensor(inputs.dy as TensorInfo), a.filterShape!, a));
    },
  });

  const original = tf.getKernel('Conv2DBackpropInput', 'wasm');
  if (original) tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
  tf.registerKernel({
    kernelName: 'Conv2DBackpropInput',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const a = args.attrs as unknown as ConvAttrs;
      if (!a.dataFormat || a.dataFormat === 'NHWC') {
        const out = tf.tidy(() => conv2dInputGrad(tf, asTensor(args.inputs.dy as TensorInfo), asTensor(args.inputs.filter as TensorInfo), a.inputShape!, a));
        if (out) return out;
      }
      if (!original) throw new Error('Conv2DBackpropInput (pixel, wasm): unsupported case');
      return original.kernelFunc(args);
    },
  });
}
