import { open } from 'node:fs/promises';
import { findCoordinates } from './coords-text';
import type { FindingList } from './findings';
import { classifyTag } from './tag-classify';

/** Largest text chunk read (iXML from Sound Devices recorders is a few kB; anything larger is not metadata). */
const MAX_TEXT_CHUNK = 1024 * 1024;
/** Chunks that carry free text: broadcast extension, iXML, aXML, and LIST-INFO / AIFF text chunks. */
const WAV_TEXT = new Set(['bext', 'iXML', 'axml', 'LIST', '_PMX', 'ID3 ', 'id3 ']);
const AIFF_TEXT = new Set(['NAME', 'AUTH', '(c) ', 'ANNO', 'COMT', 'ID3 ', 'APPL']);

export interface TextChunk {
  id: string;
  text: string;
}

/**
 * Pure: the text-bearing chunks of a RIFF/RF64 (WAV, BWF) or FORM (AIFF) header, from the bytes read so far.
 * Only chunk headers are walked; sizes past the end stop the walk (a truncated file is scanned as far as
 * it goes). ffprobe shows some bext fields as tags but not iXML, whose PROJECT/NOTE/TAPE fields name crews
 * and places.
 */
export async function textChunks(read: (offset: number, length: number) => Promise<Buffer>, fileSize: number): Promise<TextChunk[]> {
  const head = await read(0, 12);
  const form = head.toString('latin1', 0, 4);
  const riff = form === 'RIFF' || form === 'RF64' || form === 'BW64';
  if (!riff && form !== 'FORM') return [];
  const wanted = riff ? WAV_TEXT : AIFF_TEXT;
  const out: TextChunk[] = [];
  let pos = 12;
  for (let n = 0; n < 4096 && pos + 8 <= fileSize; n += 1) {
    const header = await read(pos, 8);
    if (header.length < 8) break;
    const id = header.toString('latin1', 0, 4);
    const size = riff ? header.readUInt32LE(4) : header.readUInt32BE(4);
    if (wanted.has(id) && size > 0) {
      const body = await read(pos + 8, Math.min(size, MAX_TEXT_CHUNK));
      out.push({ id, text: body.toString('latin1') });
    }
    // RF64's data chunk says 0xFFFFFFFF and keeps its size in ds64; nothing textual follows it we could reach.
    if (size === 0xffffffff) break;
    pos += 8 + size + (size % 2);
  }
  return out;
}

/** key → value pairs of one text chunk: XML elements for iXML/aXML, printable runs otherwise. */
export function chunkFields(chunk: TextChunk): Array<[string, string]> {
  if (chunk.id === 'iXML' || chunk.id === 'axml' || chunk.id === '_PMX') {
    const out: Array<[string, string]> = [];
    for (const m of chunk.text.matchAll(/<([A-Za-z_][\w.:-]*)[^>]*>([^<]+)<\/\1>/g)) out.push([m[1] as string, (m[2] as string).trim()]);
    return out;
  }
  return [...chunk.text.matchAll(/[\x20-\x7e\xa0-\xff]{4,}/g)].map((m) => [chunk.id.trim(), m[0].trim()]);
}

/** Adds every identifying value of a WAV/BWF/AIFF file's text chunks to the findings (read-only). */
export async function scanRiffText(path: string, file: string, out: FindingList): Promise<void> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const read = async (offset: number, length: number) => {
      const buf = Buffer.alloc(Math.max(0, Math.min(length, size - offset)));
      if (buf.length > 0) await handle.read(buf, 0, buf.length, offset);
      return buf;
    };
    for (const chunk of await textChunks(read, size)) {
      for (const [key, value] of chunkFields(chunk)) {
        // Numbers and flags (sample rates, TRUE/FALSE, frame rates) identify nobody; words and coordinates may.
        if (!/[A-Za-z]{3,}/.test(value) && findCoordinates(value).length === 0) continue;
        const category = classifyTag(key, value);
        if (!category) continue;
        const coord = findCoordinates(value)[0];
        out.add({
          category, source: 'container', field: `${chunk.id.trim()}.${key}`, value, file,
          ...(coord?.lat !== undefined ? { lat: coord.lat } : {}), ...(coord?.lon !== undefined ? { lon: coord.lon } : {}),
        });
      }
    }
  } finally {
    await handle.close();
  }
}
