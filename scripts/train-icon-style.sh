#!/bin/sh
# Trains the shipped icon-style model (models/icon-style.png) exactly as it was
# made, from the sources (tsx, no build needed):
#   1. the pair set: 6 renditions of the 1,476 training icons of
#      ../shared/data/pixelart (all but models/sprite-heldout.txt), 4×4 to a
#      mosaic, each rendered degraded at 2×–4× (scripts/icon-pairs.ts);
#   2. pixel train --pairs with the threshold binarizer and the per-pixel
#      loss (scripts/train-icon-style.ts), loss log in models/icon-style.log.jsonl;
#   3. the held-out table in the README (scripts/icon-style-eval.ts).
# Usage: scripts/train-icon-style.sh [steps]   (default 2000)
set -e
cd "$(dirname "$0")/.."
DATA=${PIXEL_DATA:-../shared/data}/pixelart
PAIRS=${TMPDIR:-/tmp}/pixel-icon-pairs
rm -rf "$PAIRS"
node --import tsx scripts/icon-pairs.ts "$DATA" "$PAIRS" 6
node --import tsx scripts/train-icon-style.ts "$PAIRS" models/icon-style.png "${1:-2000}"
rm -f models/icon-style.ckpt.png
node --import tsx scripts/icon-style-eval.ts "$DATA"
