/**
 * Scene cuts from sampled frames: each frame is reduced to a coarse grid of mean brightness (its
 * signature); a cut is a large mean difference between consecutive signatures. Pure, so tested without
 * ffmpeg; the threshold sits well below the difference of two unrelated shots and above camera motion.
 */

export const SIGNATURE_COLUMNS = 16;
export const SIGNATURE_ROWS = 9;
/** Mean absolute difference (0–255) between signatures above which two samples are different shots. */
export const CUT_THRESHOLD = 28;

export function frameSignature(rgb: Uint8Array, width: number, height: number): number[] {
  const sums = new Array<number>(SIGNATURE_COLUMNS * SIGNATURE_ROWS).fill(0);
  const counts = new Array<number>(SIGNATURE_COLUMNS * SIGNATURE_ROWS).fill(0);
  // Every other pixel in each direction is plenty for a 16×9 average.
  for (let y = 0; y < height; y += 2) {
    const row = Math.min(SIGNATURE_ROWS - 1, Math.floor((y * SIGNATURE_ROWS) / height));
    for (let x = 0; x < width; x += 2) {
      const cell = row * SIGNATURE_COLUMNS + Math.min(SIGNATURE_COLUMNS - 1, Math.floor((x * SIGNATURE_COLUMNS) / width));
      const i = (y * width + x) * 3;
      sums[cell]! += 0.299 * rgb[i]! + 0.587 * rgb[i + 1]! + 0.114 * rgb[i + 2]!;
      counts[cell]! += 1;
    }
  }
  return sums.map((sum, i) => (counts[i]! > 0 ? sum / counts[i]! : 0));
}

export function signatureDistance(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length || a.length === 0) return Number.POSITIVE_INFINITY;
  let total = 0;
  for (let i = 0; i < a.length; i += 1) total += Math.abs(a[i]! - b[i]!);
  return total / a.length;
}

export function isSceneCut(previous: readonly number[] | null, current: readonly number[], threshold = CUT_THRESHOLD): boolean {
  return previous !== null && signatureDistance(previous, current) > threshold;
}
