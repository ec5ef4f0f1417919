import { describe, expect, it } from 'vitest';
import { SafehouseError } from '../../../src/shared/errors';
import { failureKindOf, isTransient, stillQuarantineReason } from '../../../src/main/core/ingest/clip-failures';
import { headLooksLikeMedia, nameLooksLikeMedia } from '../../../src/main/core/ingest/unknown-media';
import { ToolUnavailable } from '../../../src/main/core/media/memory-file';
import { transientToolFailure } from '../../../src/main/core/media/tool-failure';

const errno = (code: string) => Object.assign(new Error(code), { code });

describe('transient failures leave a clip failed (retried), never quarantined', () => {
  const rows: [string, unknown, ReturnType<typeof failureKindOf>][] = [
    ['ENOSPC while sealing', errno('ENOSPC'), 'disk-full'],
    ['DISK_FULL', new SafehouseError('DISK_FULL'), 'disk-full'],
    ['a crashed tool', new SafehouseError('TOOL_CRASHED'), 'tool-crashed'],
    ['a hung tool', new SafehouseError('TOOL_TIMEOUT'), 'tool-timed-out'],
    ['EIO from the card', new SafehouseError('CARD_READ_ERROR'), 'read-error'],
    ['raw EIO', errno('EIO'), 'read-error'],
    ['the file changed', new SafehouseError('SOURCE_CHANGED'), 'source-changed'],
    ['the file vanished', errno('ENOENT'), 'source-changed'],
    ['an unexpected bug', new Error('boom'), 'other'],
    ['a verdict on the file', new SafehouseError('SANITIZE_FAILED'), 'other'],
  ];
  it.each(rows)('%s', (_, error, kind) => {
    expect(failureKindOf(error)).toBe(kind);
    expect(isTransient(error)).toBe(kind !== 'other');
  });
});

describe('a tool exit: transient trouble or the tool’s verdict', () => {
  const exit = (over: Partial<Parameters<typeof transientToolFailure>[0]>) => ({ code: 0, signal: null, timedOut: false, stderr: '', ...over });
  const rows: [string, Parameters<typeof transientToolFailure>[0], string | null][] = [
    ['clean exit', exit({}), null],
    ['"Invalid data found": the file’s fault', exit({ code: 1, stderr: 'Invalid data found when processing input' }), null],
    ['timed out', exit({ code: null, signal: 'SIGKILL', timedOut: true }), 'TOOL_TIMEOUT'],
    ['segfault', exit({ code: null, signal: 'SIGSEGV' }), 'TOOL_CRASHED'],
    ['shell-style signal exit', exit({ code: 139 }), 'TOOL_CRASHED'],
    ['ffmpeg received a signal', exit({ code: 255 }), 'TOOL_CRASHED'],
    ['out of memory', exit({ code: 1, stderr: 'Cannot allocate memory' }), 'TOOL_CRASHED'],
    ['the card failing under ffmpeg', exit({ code: 1, stderr: 'file:/card/C0001.MP4: Input/output error' }), 'CARD_READ_ERROR'],
  ];
  it.each(rows)('%s', (_, input, code) => expect(transientToolFailure(input)?.code ?? null).toBe(code));
});

describe('why a still could not be cleaned', () => {
  const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0]);
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]);
  const text = Buffer.from('hello world, not an image');
  const rows: [Buffer, string, string][] = [
    [text, '.jpg', 'still-extension-mismatch'],
    [png, '.JPG', 'still-extension-mismatch'],
    [jpeg, '.jpg', 'still-damaged'],
    [text, '.png', 'still-extension-mismatch'],
    [png, '.png', 'still-damaged'],
    // HEIC, GIF, TIFF and raws are photos Safehouse cleans now: only a file that is none of them is "unsupported".
    [jpeg, '.heic', 'still-extension-mismatch'],
    [text, '.heic', 'still-extension-mismatch'],
    [Buffer.from('GIF89a'), '.gif', 'still-damaged'],
    [Buffer.from('II*\0\x08\0\0\0', 'latin1'), '.dng', 'still-damaged'],
    [text, '.dng', 'still-type-unsupported'],
    [text, '.xyz', 'still-type-unsupported'],
  ];
  it.each(rows)('%s as %s', (bytes, ext, reason) => expect(stillQuarantineReason(bytes, ext)).toBe(reason));
  it('a decoder that is not installed is not the photo\'s fault', () => {
    const missing = new SafehouseError('CANNOT_SANITIZE', undefined, { cause: new ToolUnavailable('heif-convert is not installed') });
    expect(stillQuarantineReason(Buffer.from([0, 0, 0, 24, ...Buffer.from('ftypheic')]), '.heic', missing)).toBe('cannot-sanitize');
  });
});

describe('a file the layouts did not recognise that is media after all', () => {
  it.each([
    ['DCIM/100CANON/MVI_0104.MP4 ', true],
    ['DCIM/100CANON/MVI_0104.MP4.', true],
    ['DCIM/100CANON/MVI_0104.mp4  . ', true],
    ['MISC/notes.bin', false],
    ['README', false],
  ])('by name: %j', (name, media) => expect(nameLooksLikeMedia(name)).toBe(media));

  const ts = Buffer.alloc(200);
  ts[0] = 0x47;
  ts[188] = 0x47;
  it.each([
    ['MP4', Buffer.from('\0\0\0\x18ftypmp42', 'latin1'), true],
    ['WAV', Buffer.from('RIFF\0\0\0\0WAVE', 'latin1'), true],
    ['JPEG', Buffer.from([0xff, 0xd8, 0xff, 0xe1]), true],
    ['MPEG-TS', ts, true],
    ['text starting with G', Buffer.from('Gone fishing, back at noon. '.repeat(10)), false],
    ['random notes', Buffer.from('notes about the shoot'), false],
    ['too short', Buffer.from([0xff]), false],
  ])('by content: %s', (_, head, media) => expect(headLooksLikeMedia(head)).toBe(media));
});
