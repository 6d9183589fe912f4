#!/bin/sh
# Trains the shipped default model (models/unet-default.png) exactly as it was
# made: pixel train on shared/data/train, validated on shared/data/val.
# Runs from the sources (tsx), so no build is needed. About 35 min on 2 busy cores.
set -e
cd "$(dirname "$0")/.."
DATA=${PIXEL_DATA:-../shared/data}
exec node --import tsx scripts/pixel-dev.ts train \
  --images "$DATA/train" --val "$DATA/val" --out models/unet-default.png \
  --steps 1600 --batch 8 --patch 64 --lr 0.002 --seed 1 --channels 8,16,32 \
  --binarizer error-diffusion --every 200 "$@"
