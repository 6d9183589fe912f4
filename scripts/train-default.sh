#!/bin/sh
# Trains the shipped default model (models/unet-default.png) exactly as it was
# made, in two phases on shared/data/train, validated on shared/data/val.
# Runs from the sources (tsx), so no build is needed. On 2 cores (wasm):
#   1. 1600 steps at batch 8 with the Floyd–Steinberg binarizer (17m45s);
#   2. resumed to 3600 steps at batch 16, fine-tuned for the ostromoukhov
#      binarizer, two worker threads (20m32s, 1.62 steps/s).
set -e
cd "$(dirname "$0")/.."
DATA=${PIXEL_DATA:-../shared/data}
OUT=models/unet-default.png
node --import tsx scripts/pixel-dev.ts train --images "$DATA/train" --val "$DATA/val" --out "$OUT" \
  --steps 1600 --batch 8 --patch 64 --lr 0.002 --seed 1 --channels 8,16,32 --binarizer error-diffusion --every 200
node --import tsx scripts/pixel-dev.ts train --images "$DATA/train" --val "$DATA/val" --resume "$OUT" --out "$OUT" \
  --binarizer ostromoukhov --steps 3600 --batch 16 --patch 64 --lr 0.002 --seed 2 --workers 2 --every 400
rm -f models/unet-default.ckpt.png
