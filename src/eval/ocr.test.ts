import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { binaryTensor } from '../pipeline/types.js';
import { charAccuracy, editDistance, findTesseract, normaliseText, readText } from './ocr.js';

describe('OCR scoring', () => {
  it('edit distance and character accuracy', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(normaliseText('  open\n daily  ')).toBe('open daily');
    expect(charAccuracy('open daily\n', 'open  daily')).toBe(1);
    expect(charAccuracy('abcd', 'abXd')).toBe(0.75);
    expect(charAccuracy('ab', 'something else entirely')).toBe(0);
    expect(charAccuracy('', '')).toBe(1);
  });

  const tesseract = findTesseract();
  it.skipIf(!tesseract)('reads a clean 1-bit rendering of a word (tesseract installed)', async () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="240" height="48"><rect width="240" height="48" fill="#fff"/><text x="8" y="36" font-family="DejaVu Sans" font-size="30">market</text></svg>';
    const { data, info } = await sharp(Buffer.from(svg)).greyscale().raw().toBuffer({ resolveWithObject: true });
    const b = binaryTensor(info.width, info.height);
    for (let i = 0; i < b.data.length; i++) b.data[i] = data[i * info.channels] > 128 ? 1 : 0;
    expect(charAccuracy('market', await readText(b, tesseract))).toBeGreaterThanOrEqual(5 / 6);
  });
  if (!tesseract) it('OCR test skipped: the tesseract command is not installed (Debian: tesseract-ocr)', () => {});
});
