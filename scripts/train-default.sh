#!/bin/sh
# Trains the shipped default model (models/unet-default.png) exactly as it was
# made: pixel train on shared/data/train, validated on shared/data/val.
# Runs from the sources (tsx), so no build is needed.
# Phase 1: 1600 steps of batch 8 (about 20 min on 2 busy cores).
# Phase 2: resumed from phase 1's weights (fresh Adam moments) with a longer
# schedule (a warm restart of the cosine decay, SGDR-style) and batch 16 on two
# threads, to 2800 steps (about 15 min).
set -e
cd "$(dirname "$0")/.."
DATA=${PIXEL_DATA:-../shared/data}
COMMON="--images $DATA/train --val $DATA/val --patch 64 --lr 0.002 --seed 1 --channels 8,16,32 --binarizer error-diffusion --every 200"
node --import tsx scripts/pixel-dev.ts train $COMMON --out models/unet-default.png --steps 1600 --batch 8
node --import tsx scripts/pixel-dev.ts train $COMMON --resume models/unet-default.png --out models/unet-default.png --steps 2800 --batch 16 --workers 2
rm -f models/unet-default.ckpt.png
