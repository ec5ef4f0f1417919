/**
 * Whether a file the layout rules did not recognise is media after all: a name that only fails because of
 * trailing spaces or dots (Windows and some cameras' tools leave those), or bytes that start like a media
 * container. Such a file was not copied, so the card must not be called safe to wipe. Reads at most the
 * first 200 bytes, read-only, never following a link.
 */
import { promises as fsp } from 'node:fs';
import { cardOpenFlags, type CardFile } from './card-scan';
import { mediaKindOf } from './camera-layouts';

const ascii = (bytes: Buffer, start: number, text: string) => bytes.toString('latin1', start, start + text.length) === text;

/** Pure: does this file head look like a media container or image we would ingest? */
export function headLooksLikeMedia(head: Buffer): boolean {
  if (head.length < 4) return false;
  if (ascii(head, 4, 'ftyp') || ascii(head, 4, 'moov') || ascii(head, 4, 'mdat') || ascii(head, 4, 'wide')) return true; // MP4/MOV/HEIC
  if (ascii(head, 0, 'RIFF') || ascii(head, 0, 'RF64') || ascii(head, 0, 'FORM') || ascii(head, 0, 'OggS') || ascii(head, 0, 'fLaC') || ascii(head, 0, 'ID3')) return true;
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return true; // JPEG
  if (head[0] === 0x89 && ascii(head, 1, 'PNG')) return true;
  if (head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) return true; // Matroska/WebM
  if (head[0] === 0x06 && head[1] === 0x0e && head[2] === 0x2b && head[3] === 0x34) return true; // MXF
  if (head[0] === 0x00 && head[1] === 0x00 && head[2] === 0x01 && (head[3] === 0xba || head[3] === 0xb3)) return true; // MPEG-PS
  if (head[0] === 0x47 && head[188] === 0x47) return true; // MPEG-TS: sync bytes 188 apart
  if (head[4] === 0x47 && head[196] === 0x47) return true; // M2TS (AVCHD): 192-byte packets
  if ((ascii(head, 0, 'II') && head[2] === 0x2a) || (ascii(head, 0, 'MM') && head[3] === 0x2a)) return true; // TIFF and camera RAW
  return false;
}

/** Pure: a media extension once trailing spaces and dots are taken off the name ("MVI_0104.MP4 "). */
export function nameLooksLikeMedia(relPath: string): boolean {
  const name = relPath.slice(relPath.lastIndexOf('/') + 1).replace(/[\s.]+$/u, '');
  const dot = name.lastIndexOf('.');
  return dot > 0 && mediaKindOf(name.slice(dot + 1).toUpperCase()) !== null;
}

export async function unknownFileIsMedia(file: Pick<CardFile, 'relPath' | 'absPath' | 'size'>): Promise<boolean> {
  if (file.size === 0) return false;
  if (nameLooksLikeMedia(file.relPath)) return true;
  let handle;
  try {
    handle = await fsp.open(file.absPath, cardOpenFlags);
    const head = Buffer.alloc(200);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return headLooksLikeMedia(head.subarray(0, bytesRead));
  } catch {
    // Unreadable now although the scan listed it: it cannot be judged, so it counts as media not copied.
    return true;
  } finally {
    await handle?.close();
  }
}
