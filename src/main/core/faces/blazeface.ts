/**
 * Pure parts of the BlazeFace detector (the model itself runs in detector.ts): anchors, decoding the raw
 * network output into boxes, the tiles a frame is cut into, and merging detections from overlapping tiles.
 *
 * Why tiles: the network sees a 256×256 input and finds faces from about 16 to 240 input pixels. A whole
 * 16:9 frame squeezed into 256 px would lose every face smaller than ~1/16 of the frame width. The frame is
 * looked at twice: once whole (large faces), and as a grid of overlapping squares (small ones).
 */

export const INPUT_SIZE = 256;
/** Values per anchor in the decoded output: score logit, box (cx, cy, w, h), 6 landmarks × 2. */
export const ANCHOR_STRIDE = 17;

/** A detection in frame coordinates, 0–1 of the frame, top-left origin. */
export interface Detection {
  x: number;
  y: number;
  w: number;
  h: number;
  score: number;
}

/** A square crop of the frame in frame pixels; the network sees it resized to INPUT_SIZE. */
export interface Tile {
  x: number;
  y: number;
  size: number;
}

/** Anchor centres of the 256-input BlazeFace ("back" model): 16×16 grid × 2, then 8×8 grid × 6. */
export function blazefaceAnchors(inputSize = INPUT_SIZE): [number, number][] {
  const anchors: [number, number][] = [];
  for (const [stride, perCell] of [[16, 2], [32, 6]] as const) {
    const cells = Math.ceil(inputSize / stride);
    for (let gy = 0; gy < cells; gy += 1) {
      for (let gx = 0; gx < cells; gx += 1) {
        for (let n = 0; n < perCell; n += 1) anchors.push([stride * (gx + 0.5), stride * (gy + 0.5)]);
      }
    }
  }
  return anchors;
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/**
 * Boxes above `minScore` from one tile's raw output (anchors × 17 floats), mapped to 0–1 of the frame.
 * The tile may reach past the frame edge (padding): boxes are clipped to the frame.
 */
export function decodeTile(raw: ArrayLike<number>, anchors: readonly [number, number][], tile: Tile, frame: { width: number; height: number }, minScore: number): Detection[] {
  const out: Detection[] = [];
  const scale = tile.size / INPUT_SIZE;
  for (let i = 0; i < anchors.length; i += 1) {
    const base = i * ANCHOR_STRIDE;
    const score = sigmoid(raw[base] ?? -Infinity);
    if (!(score >= minScore)) continue;
    const [ax, ay] = anchors[i]!;
    const cx = ((raw[base + 1] ?? 0) + ax) * scale + tile.x;
    const cy = ((raw[base + 2] ?? 0) + ay) * scale + tile.y;
    const w = (raw[base + 3] ?? 0) * scale;
    const h = (raw[base + 4] ?? 0) * scale;
    if (!(w > 0 && h > 0)) continue;
    const x0 = Math.max(0, cx - w / 2);
    const y0 = Math.max(0, cy - h / 2);
    const x1 = Math.min(frame.width, cx + w / 2);
    const y1 = Math.min(frame.height, cy + h / 2);
    if (x1 <= x0 || y1 <= y0) continue;
    out.push({ x: x0 / frame.width, y: y0 / frame.height, w: (x1 - x0) / frame.width, h: (y1 - y0) / frame.height, score });
  }
  return out;
}

/**
 * The squares a frame is examined in: the whole frame (padded to a square), then, when `gridRows` > 0, a grid
 * of squares `gridRows` high that overlap by at least a quarter of their side, so a face near a seam is
 * whole in one of them.
 */
export function frameTiles(width: number, height: number, gridRows: number): Tile[] {
  const tiles: Tile[] = [{ x: 0, y: 0, size: Math.max(width, height) }];
  if (gridRows <= 0) return tiles;
  const short = Math.min(width, height);
  const size = Math.ceil(short / (gridRows - (gridRows - 1) * 0.25));
  const along = (extent: number): number[] => {
    if (size >= extent) return [0];
    const count = Math.ceil((extent - size) / (size * 0.75)) + 1;
    const step = (extent - size) / (count - 1);
    return Array.from({ length: count }, (_, i) => Math.round(i * step));
  };
  for (const y of along(height)) for (const x of along(width)) tiles.push({ x, y, size });
  return tiles;
}

export function iou(a: Omit<Detection, 'score'>, b: Omit<Detection, 'score'>): number {
  const ix = Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x));
  const iy = Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
  const inter = ix * iy;
  const union = a.w * a.h + b.w * b.h - inter;
  return union > 0 ? inter / union : 0;
}

/** Share of the smaller box inside the larger: catches a face cut in half at a tile edge. */
function containment(a: Omit<Detection, 'score'>, b: Omit<Detection, 'score'>): number {
  const ix = Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x));
  const iy = Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
  const smaller = Math.min(a.w * a.h, b.w * b.h);
  return smaller > 0 ? (ix * iy) / smaller : 0;
}

/**
 * Non-maximum suppression over all tiles' detections. Overlapping detections of one face are merged into the
 * union of their boxes (a bigger box costs picture, a smaller one could leave a cheek or an ear visible),
 * keeping the best score.
 */
export function mergeDetections(detections: readonly Detection[], overlap = 0.3): Detection[] {
  const sorted = [...detections].sort((a, b) => b.score - a.score);
  const kept: Detection[] = [];
  for (const d of sorted) {
    const same = kept.find((k) => iou(k, d) > overlap || containment(k, d) > 0.7);
    if (!same) {
      kept.push({ ...d });
      continue;
    }
    const x0 = Math.min(same.x, d.x);
    const y0 = Math.min(same.y, d.y);
    same.w = Math.max(same.x + same.w, d.x + d.w) - x0;
    same.h = Math.max(same.y + same.h, d.y + d.h) - y0;
    same.x = x0;
    same.y = y0;
  }
  return kept;
}
