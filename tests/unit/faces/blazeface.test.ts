import { describe, expect, it } from 'vitest';
import { ANCHOR_STRIDE, blazefaceAnchors, decodeTile, frameTiles, mergeDetections } from '../../../src/main/core/faces/blazeface';
import { frameSignature, isSceneCut } from '../../../src/main/core/faces/scene-cuts';

describe('BlazeFace decoding', () => {
  const anchors = blazefaceAnchors();

  it('has the 896 anchors of the 256-input model, 16×16×2 then 8×8×6', () => {
    expect(anchors).toHaveLength(896);
    expect(anchors[0]).toEqual([8, 8]);
    expect(anchors[1]).toEqual([8, 8]);
    expect(anchors[512]).toEqual([16, 16]);
    expect(anchors[895]).toEqual([240, 240]);
  });

  /** Raw output with one anchor firing: logit, centre offset and size in input pixels. */
  function rawWith(index: number, logit: number, box: [number, number, number, number]): Float32Array {
    const raw = new Float32Array(896 * ANCHOR_STRIDE).fill(0);
    for (let i = 0; i < 896; i += 1) raw[i * ANCHOR_STRIDE] = -10;
    raw.set([logit, ...box], index * ANCHOR_STRIDE);
    return raw;
  }

  it.each([
    { name: 'whole 640×360 frame padded to a square', tile: { x: 0, y: 0, size: 640 }, expected: { x: (128 - 16) * 2.5 / 640, y: (128 - 16) * 2.5 / 360, w: 80 / 640, h: 80 / 360 } },
    { name: 'a tile at (280, 0) of side 360', tile: { x: 280, y: 0, size: 360 }, expected: { x: (280 + 112 * 360 / 256) / 640, y: (112 * 360 / 256) / 360, w: (32 * 360 / 256) / 640, h: (32 * 360 / 256) / 360 } },
  ])('maps a box to 0–1 of the frame: $name', ({ tile, expected }) => {
    // anchor 512 sits at (16, 16); offset (112, 112) puts the centre at (128, 128), 32×32 input pixels
    const [d] = decodeTile(rawWith(512, 3, [112, 112, 32, 32]), anchors, tile, { width: 640, height: 360 }, 0.2);
    expect(d!.score).toBeCloseTo(1 / (1 + Math.exp(-3)), 6);
    expect(d!.x).toBeCloseTo(expected.x, 6);
    expect(d!.y).toBeCloseTo(expected.y, 6);
    expect(d!.w).toBeCloseTo(expected.w, 6);
    expect(d!.h).toBeCloseTo(expected.h, 6);
  });

  it('drops boxes under the score floor, and boxes entirely in the padding', () => {
    expect(decodeTile(rawWith(512, -2, [112, 112, 32, 32]), anchors, { x: 0, y: 0, size: 640 }, { width: 640, height: 360 }, 0.2)).toEqual([]);
    // centre at input y 240 of a 640-square tile over a 360-high frame: y = 600 px, below the frame
    expect(decodeTile(rawWith(512, 3, [112, 224, 16, 16]), anchors, { x: 0, y: 0, size: 640 }, { width: 640, height: 360 }, 0.2)).toEqual([]);
  });

  it.each([
    { width: 640, height: 360, rows: 0, count: 1 },
    { width: 640, height: 360, rows: 1, count: 4 },
    { width: 640, height: 360, rows: 2, count: 9 },
    { width: 360, height: 640, rows: 1, count: 4 },
  ])('tiles $width×$height with $rows rows: $count squares that cover the frame and overlap', ({ width, height, rows, count }) => {
    const tiles = frameTiles(width, height, rows);
    expect(tiles).toHaveLength(count);
    expect(tiles[0]).toEqual({ x: 0, y: 0, size: Math.max(width, height) });
    const grid = tiles.slice(1);
    // every pixel of the frame lies in some grid tile (checked on a coarse lattice)
    for (let y = 0; y < height && grid.length > 0; y += 7) {
      for (let x = 0; x < width; x += 7) expect(grid.some((t) => x >= t.x && x < t.x + t.size && y >= t.y && y < t.y + t.size)).toBe(true);
    }
    for (const t of grid) expect(t.x + t.size <= width + 1 && t.y + t.size <= height + 1).toBe(true);
  });

  it('merges one face seen by several tiles into the union of its boxes, keeps separate faces apart', () => {
    const merged = mergeDetections([
      { x: 0.1, y: 0.1, w: 0.1, h: 0.1, score: 0.9 },
      { x: 0.12, y: 0.1, w: 0.1, h: 0.1, score: 0.6 },
      { x: 0.6, y: 0.1, w: 0.1, h: 0.1, score: 0.8 },
    ]);
    expect(merged).toHaveLength(2);
    expect(merged[0]).toMatchObject({ x: 0.1, w: expect.closeTo(0.12, 6) as number, score: 0.9 });
    expect(merged[1]).toMatchObject({ x: 0.6, score: 0.8 });
  });
});

describe('scene cuts', () => {
  const frame = (fill: (x: number, y: number) => number, width = 64, height = 36) => {
    const rgb = new Uint8Array(width * height * 3);
    for (let y = 0; y < height; y += 1) for (let x = 0; x < width; x += 1) rgb.fill(fill(x, y), (y * width + x) * 3, (y * width + x) * 3 + 3);
    return frameSignature(rgb, width, height);
  };
  it.each([
    { name: 'the same shot', a: frame(() => 120), b: frame(() => 124), cut: false },
    { name: 'a small pan', a: frame((x) => x * 3), b: frame((x) => (x + 2) * 3), cut: false },
    { name: 'a different shot', a: frame((x) => x * 3), b: frame((x) => 255 - x * 3), cut: true },
    { name: 'dark to bright', a: frame(() => 20), b: frame(() => 200), cut: true },
  ])('$name → cut: $cut', ({ a, b, cut }) => {
    expect(isSceneCut(a, b)).toBe(cut);
  });
  it('the first sample is never a cut', () => expect(isSceneCut(null, frame(() => 0))).toBe(false));
});
