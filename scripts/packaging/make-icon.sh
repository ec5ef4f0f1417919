#!/bin/sh
# Draws the app icon (resources/icon.png, 512×512) with ImageMagick: a dark rounded square, a shield and a
# keyhole. electron-builder derives the macOS .icns and Windows .ico from this one PNG.
set -eu
out="$(dirname "$0")/../../resources/icon.png"
convert -size 512x512 xc:none \
  -fill '#15171c' -draw 'roundrectangle 16,16 496,496 96,96' \
  -fill '#7cc4ff' -draw 'path "M 256,72 L 408,128 L 408,256 C 408,352 340,420 256,452 C 172,420 104,352 104,256 L 104,128 Z"' \
  -fill '#15171c' -draw 'circle 256,232 256,282' \
  -fill '#15171c' -draw 'polygon 226,262 286,262 304,372 208,372' \
  -depth 8 -strip -define png:compression-level=9 "$out"
echo "wrote $out"
