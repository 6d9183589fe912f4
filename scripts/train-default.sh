#!/bin/sh
# Trains the shipped default model (models/unet-default.png) exactly as it was
# made: pixel train on shared/data/train, validated on shared/data/val.
# Runs from the sources (tsx), so no build is needed. 17m45s on 2 shared cores (wasm).
# (A second, resumed phase to 2400 steps at batch 16 was tried and scored the
# same on devbench, 35.79 vs 35.81 dB, so the shipped model is this run alone.)
set -e
cd "$(dirname "$0")/.."
DATA=${PIXEL_DATA:-../shared/data}
node --import tsx scripts/pixel-dev.ts train --images "$DATA/train" --val "$DATA/val" --out models/unet-default.png \
  --steps 1600 --batch 8 --patch 64 --lr 0.002 --seed 1 --channels 8,16,32 --binarizer error-diffusion --every 200
rm -f models/unet-default.ckpt.png
