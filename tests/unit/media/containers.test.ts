import { describe, expect, it } from 'vitest';
import { exportExtensionsFor, exportPlanFor, masterContainerFor, muxerArgs } from '../../../src/main/core/media/containers';
import { FFMPEG_OWN_FORMAT_TAGS, FFMPEG_OWN_STREAM_TAGS } from '../../../src/main/core/media/proof';
import { chunkFields, textChunks } from '../../../src/main/core/media/riff-scan';

describe('masterContainerFor', () => {
  it.each([
    [['h264', 'aac'], 'mp4'],
    [['flac'], 'mp4'],
    [['h264', 'ac3'], 'mp4'],
    [['pcm_s24le'], 'mov'],
    [['pcm_s16be'], 'mov'],
    [['mjpeg', 'pcm_u8'], 'mov'],
    [['mpeg2video', 'pcm_s16le'], 'mov'],
    [['h264', 'pcm_s16le'], 'mov'],
    [['wmv2', 'wmav2'], 'mkv'],
    [['vc1', 'wmapro'], 'mkv'],
    [['pcm_s24le', 'flac'], 'mkv'],
    [[undefined], 'mkv'],
  ] as const)('%j → %s', (codecs, want) => {
    expect(masterContainerFor(codecs)).toBe(want);
  });

  it('adds delay_moov for AC-3 and the experimental flag for FLAC, nothing for Matroska', () => {
    expect(muxerArgs('mp4', ['h264', 'ac3']).join(' ')).toContain('+delay_moov');
    expect(muxerArgs('mp4', ['h264', 'aac']).join(' ')).not.toContain('delay_moov');
    expect(muxerArgs('mp4', ['flac'])).toEqual(expect.arrayContaining(['-strict', 'experimental']));
    expect(muxerArgs('mkv', ['wmv2'])).toEqual(['-f', 'matroska']);
  });
});

describe('exportPlanFor', () => {
  it.each([
    ['.wav', undefined, ['pcm_s24le'], 'wav', ['-c:a', 'pcm_s24le']],
    ['.wav', undefined, ['pcm_s16be'], 'wav', ['-c:a', 'pcm_s16le']],
    ['.aiff', undefined, ['pcm_s24le'], 'aiff', ['-c:a', 'pcm_s24be']],
    ['.AIF', undefined, ['pcm_s16be'], 'aiff', ['-c:a', 'pcm_s16be']],
    ['.flac', undefined, ['flac'], 'flac', ['-c', 'copy']],
    ['.flac', undefined, ['pcm_s16le'], 'flac', ['-c:a', 'flac']],
    ['.mp3', undefined, ['mp3'], 'mp3', ['-c', 'copy']],
    ['.mov', 'mjpeg', ['pcm_u8'], 'mov', ['-c', 'copy']],
    ['.mp4', 'h264', ['ac3'], 'mp4', ['-c', 'copy']],
    ['.m4a', undefined, ['aac'], 'ipod', ['-c', 'copy']],
    ['.mkv', 'wmv2', ['wmav2'], 'matroska', ['-c', 'copy']],
  ] as const)('%s for %s + %j → %s', (ext, video, audio, format, codecArgs) => {
    expect(exportPlanFor(ext, video, audio)).toMatchObject({ format, codecArgs });
  });

  it.each([
    ['.mp4', undefined, ['pcm_s24le']],
    ['.mp4', 'mjpeg', ['pcm_u8']],
    ['.mov', 'wmv2', ['wmav2']],
    ['.mov', undefined, ['flac']],
    ['.wav', undefined, ['flac']],
    ['.wav', 'h264', ['pcm_s16le']],
    ['.wav', undefined, ['pcm_s16le', 'pcm_s16le']],
    ['.aiff', undefined, ['pcm_u8']],
    ['.flac', undefined, ['pcm_f32le']],
    ['.mp3', undefined, ['aac']],
    ['.m4a', 'h264', ['aac']],
    ['.avi', 'h264', ['aac']],
    ['', 'h264', ['aac']],
  ] as const)('%s cannot hold %s + %j', (ext, video, audio) => {
    expect(exportPlanFor(ext, video, audio)).toBeNull();
  });

  it('lists only the extensions that fit, for the refusal message', () => {
    expect(exportExtensionsFor(undefined, ['pcm_s24le'])).toEqual(['.mov', '.mkv', '.mka', '.wav', '.aif', '.aiff', '.flac']);
    expect(exportExtensionsFor('wmv2', ['wmav2'])).toEqual(['.mkv']);
  });
});

describe('what ffmpeg itself writes is named and allowed, nothing else', () => {
  it.each([
    ['vendor_id', 'FFMP', true],
    ['vendor_id', '[0][0][0][0]', true],
    ['vendor_id', 'appl', false],
    ['vendor_id', 'PENT', false],
    ['handler_name', 'VideoHandler', true],
    ['handler_name', 'Core Media Video', false],
    ['language', 'und', true],
    ['language', 'Amira', false],
    ['encoder', 'Lavf', false],
  ] as const)('stream tag %s=%s → %s', (key, value, allowed) => {
    expect(Boolean(FFMPEG_OWN_STREAM_TAGS[key]?.(value))).toBe(allowed);
  });

  it.each([
    ['encoder', 'Lavf', true],
    ['encoder', 'Lavf59.27.100', false],
    ['encoder', 'HandBrake 1.6', false],
    ['major_brand', 'qt  ', true],
    ['compatible_brands', 'iso5iso6mp41', true],
    ['minor_version', '512', true],
    ['comment', 'x', false],
    ['timecode', '10:11:12:13', false],
  ] as const)('container tag %s=%s → %s', (key, value, allowed) => {
    expect(Boolean(FFMPEG_OWN_FORMAT_TAGS[key]?.(value))).toBe(allowed);
  });
});

describe('RIFF / AIFF text chunks', () => {
  const riff = (chunks: Array<[string, string]>) => {
    const parts = chunks.map(([id, text]) => {
      const body = Buffer.from(text.length % 2 ? `${text}\0` : text, 'latin1');
      const h = Buffer.alloc(8);
      h.write(id, 0, 'latin1');
      h.writeUInt32LE(text.length, 4);
      return Buffer.concat([h, body]);
    });
    const head = Buffer.from('RIFF\0\0\0\0WAVE', 'latin1');
    const all = Buffer.concat([head, ...parts]);
    all.writeUInt32LE(all.length - 8, 4);
    return all;
  };
  const reader = (b: Buffer) => async (offset: number, length: number) => b.subarray(offset, offset + length);

  it('finds bext and iXML past the audio data, and skips the rest', async () => {
    const b = riff([['fmt ', 'x'.repeat(16)], ['data', '\0'.repeat(101)], ['bext', 'Zoom F6 SN-1'], ['iXML', '<BWFXML><NOTE>Amira at Calle 9</NOTE></BWFXML>']]);
    const chunks = await textChunks(reader(b), b.length);
    expect(chunks.map((c) => c.id)).toEqual(['bext', 'iXML']);
    expect(chunkFields(chunks[1]!)).toEqual([['NOTE', 'Amira at Calle 9']]);
    expect(chunkFields(chunks[0]!)).toEqual([['bext', 'Zoom F6 SN-1']]);
  });

  it('stops at a chunk that runs past the end (truncated file) and ignores non-RIFF input', async () => {
    const b = riff([['bext', 'Zoom F6 SN-1']]);
    b.writeUInt32LE(0x7fffff00, 16);
    expect((await textChunks(reader(b), b.length)).map((c) => c.id)).toEqual(['bext']);
    expect(await textChunks(reader(Buffer.from('ID3\x03junkjunk')), 11)).toEqual([]);
  });
});
