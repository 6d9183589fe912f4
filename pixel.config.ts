// The repo's own config: how `npm run examples` converts examples/images.
// It is also the example a user can copy; `pixel init` writes a similar one.
import { defineConfig } from 'pixel-1bit';

export default defineConfig({
  // Photos become pixel art: a 128-px grid, Floyd–Steinberg in linear light, ×4.
  extends: 'pixel-art',

  output: { dir: 'examples/out', format: 'png', name: '[dir]/[name].[ext]' },

  presets: {
    // Our own preset for small sprites: 32-px grid, clean threshold, ×8.
    ghost: {
      description: 'Sprites drawn as vectors: 32-px grid, Otsu threshold, ×8',
      extends: 'sprite',
      override: { palette: { ink: '#202030', paper: '#e8e8f0' } },
    },
  },

  // Files under sprites/ use the sprite preset instead of pixel-art.
  rules: [{ files: 'examples/images/sprites/**', preset: 'ghost' }],
});
