import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeModelPng } from '../nn/weights-png.js';
import { dataLabel } from './data-label.js';

describe('dataLabel: how a model header names its training data', () => {
  it('relative inside the current folder, the folder name outside it, never absolute', () => {
    expect(dataLabel('/home/ann/proj/data/train', '/home/ann/proj')).toBe('data/train');
    expect(dataLabel('data/train', '/home/ann/proj')).toBe('data/train');
    expect(dataLabel('/home/ann/photos/train', '/home/ann/proj')).toBe('train');
    expect(dataLabel('../shared/data/val', '/work/pixel')).toBe('val');
    expect(dataLabel(undefined)).toBeUndefined();
  });

  it('no shipped model records an absolute path', () => {
    const models = resolve(import.meta.dirname, '../../models');
    for (const f of readdirSync(models).filter((n) => n.endsWith('.png') && !n.endsWith('-refs.png'))) { // sprite-refs.png is a plain sheet of icons, not a model
      const training = decodeModelPng(readFileSync(join(models, f)), f).header.training as Record<string, unknown>;
      for (const key of ['data', 'val']) if (typeof training?.[key] === 'string') expect(training[key], `${f} training.${key}`).not.toMatch(/^\//);
    }
  });
});
