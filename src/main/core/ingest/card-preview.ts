import type { CardScanSummary } from '../../../shared/model';
import { scanCard } from './card-scan';

/**
 * What the crew sees before an offload: clips, sidecars, and plain warnings about anything that will not
 * go into the vault as-is (location-bearing sidecars, links out of the card, unreadable files).
 */
export async function scanCardForPreview(root: string): Promise<CardScanSummary> {
  const scan = await scanCard(root);
  const warnings: string[] = [];
  const locationSidecars = scan.clips.flatMap((clip) => clip.sidecars.filter((file) => file.carriesLocation));
  if (locationSidecars.length > 0) {
    warnings.push(`${locationSidecars.length} sidecar files carry location data (drone logs, camera XML); they are scanned but not copied into the vault.`);
  }
  if (scan.unsafe.length > 0) warnings.push(`${scan.unsafe.length} links point outside the card; they are not followed.`);
  for (const problem of scan.problems) warnings.push(`${problem.relPath}: ${problem.reason}`);
  if (scan.unknown.length > 0) warnings.push(`${scan.unknown.length} files of unknown type are listed but not copied.`);
  return {
    root: scan.root,
    layouts: scan.layouts,
    clips: scan.clips.map((clip) => ({
      id: clip.id,
      name: clip.primary.relPath,
      kind: clip.kind,
      sizeBytes: clip.primary.size + clip.sidecars.reduce((total, file) => total + file.size, 0),
      sidecars: clip.sidecars.map((file) => file.relPath),
      locationSidecars: clip.sidecars.filter((file) => file.carriesLocation).map((file) => file.relPath),
    })),
    skipped: scan.skipped.map((entry) => ({ name: entry.relPath, reason: entry.reason })),
    unknown: scan.unknown.map((file) => file.relPath),
    warnings,
    totalBytes: scan.totalBytes,
  };
}
