import { readFile } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import { scanFileBytes } from './byte-scan';
import { findCoordinates } from './coords-text';
import { FindingList, type FindingSource, type MetadataFinding } from './findings';
import type { MediaTools } from './media-tools';
import type { ProbeResult } from './ffprobe-parse';
import { probeFile } from './probe';
import { scanRiffText } from './riff-scan';
import { isLoopbackUrl } from './run-tool';
import { scanSidecar } from './sidecar-scan';
import { scanStillBytes } from './still-scan';
import { extractTrackText } from './track-text';
import { classifyTag } from './tag-classify';

export type { MetadataFinding } from './findings';

export interface ScanRequest {
  file: string;
  kind: 'video' | 'audio' | 'still';
  sidecars: string[];
  /** Raw byte scan of the source for coordinates (SEI user data, iXML, private boxes). Default true; the
   *  pipeline may instead feed its hashing read through createCoordinateByteScanner. */
  byteScan?: boolean;
  /** The caller's ffprobe of this same file (audio/video), so ffprobe does not run twice. */
  probe?: ProbeResult;
  /** A still's bytes the caller already read, so the card is not read twice. */
  bytes?: Buffer;
}

const MAX_STILL_BYTES = 256 * 1024 * 1024;

function addText(out: FindingList, text: string, source: FindingSource, field: string, file: string): void {
  for (const hit of findCoordinates(text)) {
    out.add({ category: 'location', source, field, value: hit.raw, file, ...(hit.lat !== undefined ? { lat: hit.lat } : {}), ...(hit.lon !== undefined ? { lon: hit.lon } : {}) });
  }
}

function addTags(out: FindingList, tags: Record<string, string>, source: FindingSource, prefix: string, file: string): void {
  for (const [key, value] of Object.entries(tags)) {
    const category = classifyTag(key, value);
    if (!category) continue;
    const coord = findCoordinates(value)[0];
    out.add({
      category, source, field: `${prefix}${key}`, value, file,
      ...(coord?.lat !== undefined ? { lat: coord.lat } : {}), ...(coord?.lon !== undefined ? { lon: coord.lon } : {}),
    });
  }
}

/**
 * Every location, identity and device trace in a clip and its sidecars. Reads the card only. Audio/video go
 * through ffprobe (container, stream and chapter tags), subtitle and data track payloads, and a raw byte scan;
 * stills through exifr plus the byte scan; sidecars through a text scan.
 */
export async function scanMetadata(tools: MediaTools, req: ScanRequest): Promise<MetadataFinding[]> {
  const out = new FindingList();
  const file = basename(req.file);
  const path = isLoopbackUrl(req.file) ? req.file : resolve(req.file);
  if (req.kind === 'still') {
    const bytes = req.bytes ?? (await readFile(path));
    if (bytes.length <= MAX_STILL_BYTES) await scanStillBytes(bytes, file, out);
  } else {
    const probe = req.probe ?? (await probeFile(tools, path));
    addTags(out, probe.tags, 'container', 'format.', file);
    for (const s of probe.streams) addTags(out, s.tags, 'stream', `stream${s.index}.`, file);
    for (const p of probe.programs) addTags(out, p.tags, 'container', `program${p.id}.`, file);
    for (const c of probe.chapters) addTags(out, c.tags, 'container', `chapter${c.id}.`, file);
    for (const s of probe.streams) {
      if (s.type !== 'subtitle' && s.type !== 'data') continue;
      const text = await extractTrackText(tools, path, s.index, s.type);
      const source = s.type === 'subtitle' ? 'subtitle' : 'data';
      addText(out, text, source, `stream${s.index}.${s.type}`, file);
    }
    // Recorder chunks ffprobe does not show (iXML, aXML) or shows only in part (bext, LIST-INFO, AIFF text).
    if (/^\.(wav|bwf|aif|aiff|aifc)$/i.test(extname(path))) await scanRiffText(path, file, out);
  }
  if (req.byteScan !== false) {
    for (const hit of await scanFileBytes(path)) {
      out.add({ category: 'location', source: 'bytes', field: 'raw', value: hit.raw, file, ...(hit.lat !== undefined ? { lat: hit.lat } : {}), ...(hit.lon !== undefined ? { lon: hit.lon } : {}) });
    }
  }
  for (const sidecar of req.sidecars) await scanSidecar(resolve(sidecar), basename(sidecar), out);
  return out.items;
}
