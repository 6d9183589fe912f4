#!/bin/sh
# Trains the two shipped sprite models exactly as they were made, from the
# sources (tsx, no build needed), on ../shared/data/pixelart (1,602 icons; the
# 1,533 that are 24×24 or 24×23 are used, see SOURCES.md there):
#   models/sprite-heldout.txt the honest held-out split (scripts/sprite-split.ts)
#   models/sprite-ar.png      full-context gated PixelCNN with mirror inputs (24 min wall on 2 busy cores), log in models/sprite-ar.log.jsonl
#   models/sprite-prompt.png  prompt → sprite MLP (word + trigram features), log in models/sprite-prompt.log.jsonl
#   models/sprite-refs.png    the training icons as one sheet: the references of ranked completion (scripts/sprite-refs.ts)
# Then draws docs/sprite-samples.png, docs/sprite-complete.png and docs/sprite-prompts.png.
# Usage: scripts/train-sprites.sh [split|ar|refs|prompt|sheets|all]   (default all)
set -e
cd "$(dirname "$0")/.."
DATA=${PIXEL_DATA:-../shared/data}/pixelart
WHAT=${1:-all}
PIXEL="node --import tsx scripts/pixel-dev.ts"
if [ "$WHAT" = split ] || [ "$WHAT" = all ]; then
  node --import tsx scripts/sprite-split.ts "$DATA" models/sprite-heldout.txt
fi
if [ "$WHAT" = ar ] || [ "$WHAT" = all ]; then
  $PIXEL sprite train --images "$DATA" --holdout models/sprite-heldout.txt --batch 16 --epochs 40 --max-minutes 24 --out models/sprite-ar.png
  rm -f models/sprite-ar.ckpt.png
fi
if [ "$WHAT" = refs ] || [ "$WHAT" = all ]; then
  node --import tsx scripts/sprite-refs.ts "$DATA" models/sprite-heldout.txt models/sprite-refs.png
fi
if [ "$WHAT" = prompt ] || [ "$WHAT" = all ]; then
  $PIXEL sprite prompt --train "$DATA" --holdout models/sprite-heldout.txt --epochs 300 -o models/sprite-prompt.png
fi
if [ "$WHAT" = sheets ] || [ "$WHAT" = all ]; then
  $PIXEL sprite sample --count 16 --temperature 0.8,1.0,1.2 --seed 1 --scale 3 -o docs/sprite-samples.png
  $PIXEL sprite eval --images "$DATA" --samples 4 --proposals 4 --sheet docs/sprite-complete.png
  node --import tsx scripts/sprite-prompts.ts "$DATA" docs/sprite-prompts.png
fi
