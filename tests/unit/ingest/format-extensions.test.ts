import { describe, expect, it } from 'vitest';
import { classifyCardPath, mediaKindOf } from '../../../src/main/core/ingest/camera-layouts';

// Formats the field crews reported left on the card: each must now be a clip of the right kind.
describe('every camera, phone and recorder format is picked up', () => {
  it.each([
    ['WMV', 'video'], ['ASF', 'video'], ['MXF', 'video'], ['MTS', 'video'], ['M2TS', 'video'], ['AVI', 'video'],
    ['FLAC', 'audio'], ['AIF', 'audio'], ['AIFF', 'audio'], ['AIFC', 'audio'], ['WAV', 'audio'], ['BWF', 'audio'], ['MP3', 'audio'], ['WMA', 'audio'],
    ['HEIC', 'still'], ['HEIF', 'still'], ['HIF', 'still'], ['AVIF', 'still'], ['JXL', 'still'], ['WEBP', 'still'], ['TIF', 'still'], ['TIFF', 'still'],
    ['PNG', 'still'], ['GIF', 'still'], ['BMP', 'still'], ['DNG', 'still'], ['CR2', 'still'], ['CR3', 'still'], ['NEF', 'still'], ['ARW', 'still'],
    ['RAF', 'still'], ['ORF', 'still'],
  ] as const)('.%s is %s', (ext, kind) => {
    expect(mediaKindOf(ext)).toBe(kind);
    expect(classifyCardPath(`DCIM/100PENTX/IMGP0001.${ext.toLowerCase()}`)).toMatchObject({ role: 'primary', kind });
  });
});
