import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { findMediaTools, type MediaTools } from '../../../src/main/core/media/media-tools';
import { scanMetadata } from '../../../src/main/core/media/metadata-scan';
import { needlesFromFindings } from '../../../src/main/core/media/needles';
import { probeFile, probeStream } from '../../../src/main/core/media/probe';
import { createCleanlinessProver } from '../../../src/main/core/media/proof';
import { sanitizeAv } from '../../../src/main/core/media/sanitize';
import type { ProgressSample } from '../../../src/main/core/media/ffmpeg-progress';
import { getCard, type CardManifest } from './card-fixture';

let card: CardManifest;
let tools: MediaTools;
beforeAll(async () => {
  card = getCard();
  tools = await findMediaTools();
});

async function collect(stream: Readable, onChunk?: (c: Buffer) => void): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream) {
    parts.push(c as Buffer);
    onChunk?.(c as Buffer);
  }
  return Buffer.concat(parts);
}

async function sanitizeAndProve(rel: string) {
  const file = join(card.root, rel);
  const kind = card.files[rel]?.kind === 'audio' ? 'audio' : 'video';
  const findings = await scanMetadata(tools, { file, kind, sidecars: [] });
  const probe = await probeFile(tools, file);
  const video = probe.streams.find((s) => s.type === 'video' && !s.attachedPic);
  const samples: ProgressSample[] = [];
  const run = sanitizeAv(tools, file, {
    hasVideo: Boolean(video), hasAudio: probe.streams.some((s) => s.type === 'audio'), videoCodec: video?.codec,
    audioCodecs: probe.streams.filter((s) => s.type === 'audio').map((s) => s.codec), onProgress: (s) => samples.push(s),
  });
  const needles = needlesFromFindings(findings);
  const prover = createCleanlinessProver(tools, { needles, kind });
  const bytes = await collect(run.output, (c) => prover.push(c));
  await run.done;
  return { bytes, proof: await prover.finish(), findings, needles, samples, container: run.container };
}

const AV = ['PRIVATE/M4ROOT/CLIP/C0001.MP4', 'DCIM/100CANON/MVI_0001.MP4', 'DCIM/100CANON/MVI_0002.MP4', 'PRIVATE/AVCHD/BDMV/STREAM/00000.MTS',
  'DCIM/100GOPRO/GX010001.MP4', 'DCIM/100MEDIA/DJI_0001.MP4', 'DCIM/100APPLE/IMG_0001.MOV', 'ZOOM0001.WAV'];
const ALLOWED_EXIFTOOL = /^(SourceFile|ExifToolVersion|FileSize|FileType|FileTypeExtension|MIMEType|MajorBrand|MinorVersion|CompatibleBrands|MovieHeaderVersion|CreateDate|ModifyDate|TimeScale|Duration|PreferredRate|PreferredVolume|PreviewTime|PreviewDuration|PosterTime|SelectionTime|SelectionDuration|CurrentTime|NextTrackID|TrackHeaderVersion|TrackCreateDate|TrackModifyDate|TrackID|TrackDuration|TrackLayer|TrackVolume|ImageWidth|ImageHeight|GraphicsMode|OpColor|CompressorID|SourceImageWidth|SourceImageHeight|XResolution|YResolution|BitDepth|PixelAspectRatio|BufferSize|MaxBitrate|AverageBitrate|VideoFrameRate|MatrixStructure|MediaHeaderVersion|MediaCreateDate|MediaModifyDate|MediaTimeScale|MediaDuration|MediaLanguageCode|HandlerType|HandlerDescription|HandlerClass|HandlerVendorID|Balance|AudioFormat|AudioChannels|AudioBitsPerSample|AudioSampleRate|AudioVendorID|VendorID|Encoder|MovieFragmentSequence|ImageSize|Megapixels|AvgBitrate|Rotation|Warning|ColorRepresentation|ColorPrimaries|TransferCharacteristics|MatrixCoefficients|VideoFullRangeFlag|CompressorName|SourceImage.*|Format|FileModifyDate|FileAccessDate|FileInodeChangeDate|FilePermissions|MediaDataSize|MediaDataOffset|LayoutFlags|.*Version)$/;

describe('sanitizeAv + prover on every AV fixture', () => {
  it.each(AV)('%s comes out clean', async (rel) => {
    const { bytes, proof, needles, samples } = await sanitizeAndProve(rel);
    expect(proof, proof.problems.join('; ')).toEqual({ clean: true, problems: [] });
    if (card.files[rel]?.planted.length) expect(needles.length).toBeGreaterThan(0);
    const probe = await probeStream(tools, bytes);
    expect(probe.streams.every((s) => s.type === 'video' || s.type === 'audio')).toBe(true);
    expect(probe.streams.length).toBe(rel.endsWith('.WAV') ? 1 : 2);
    expect(Object.keys(probe.tags).sort()).toEqual(['compatible_brands', 'major_brand', 'minor_version']);
    for (const n of needles) expect(bytes.indexOf(n), `needle ${n.toString('latin1')}`).toBe(-1);
    for (const p of card.files[rel]?.planted ?? []) expect(bytes.includes(Buffer.from(p.value))).toBe(false);
    const exif = spawnSync(tools.exiftool ?? 'exiftool', ['-j', '-'], { input: bytes });
    const tags = (JSON.parse(exif.stdout.toString()) as Array<Record<string, unknown>>)[0] ?? {};
    const unexpected = Object.keys(tags).filter((k) => !ALLOWED_EXIFTOOL.test(k) || /gps|serial|owner|artist|author|make|model|location/i.test(k));
    expect(unexpected).toEqual([]);
    expect(samples.at(-1)?.done).toBe(true);
  });

  it('the SEI-crafted clip: a naive -map_metadata -1 re-mux fails the proof, sanitizeAv passes', async () => {
    const rel = 'DCIM/100CANON/MVI_0002.MP4';
    const { proof, needles } = await sanitizeAndProve(rel);
    expect(proof.clean).toBe(true);
    const naive = spawn(tools.ffmpeg, ['-v', 'error', '-i', join(card.root, rel), '-map_metadata', '-1', '-c', 'copy', '-f', 'mp4', '-movflags', 'frag_keyframe+empty_moov', 'pipe:1']);
    const prover = createCleanlinessProver(tools, { needles, kind: 'video' });
    await collect(naive.stdout, (c) => prover.push(c));
    const naiveProof = await prover.finish();
    expect(naiveProof.clean).toBe(false);
    expect(naiveProof.problems.join('\n')).toMatch(/found by the metadata scan/);
    // Generic patterns alone (no needles) also catch it.
    const blind = createCleanlinessProver(tools, { needles: [], kind: 'video' });
    const again = spawn(tools.ffmpeg, ['-v', 'error', '-i', join(card.root, rel), '-map_metadata', '-1', '-c', 'copy', '-f', 'mp4', '-movflags', 'frag_keyframe+empty_moov', 'pipe:1']);
    await collect(again.stdout, (c) => blind.push(c));
    expect((await blind.finish()).clean).toBe(false);
  });

  it('an unsanitized source fails the proof (tags, data and subtitle streams)', async () => {
    for (const rel of ['DCIM/100APPLE/IMG_0001.MOV', 'DCIM/100GOPRO/GX010001.MP4']) {
      const prover = createCleanlinessProver(tools, { needles: [], kind: 'video' });
      const { createReadStream } = await import('node:fs');
      await collect(createReadStream(join(card.root, rel)), (c) => prover.push(c));
      const r = await prover.finish();
      expect(r.clean).toBe(false);
      expect(r.problems.join('\n')).toMatch(/stream 1 is (data|subtitle)|tag/);
    }
  });

  it('writes no temp file while sanitizing', async () => {
    const watched = mkdtempSync(join(tmpdir(), 'safehouse-tmpwatch-'));
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = watched; // ffmpeg and node both honour TMPDIR; os.tmpdir() now points here
    try {
      const before = readdirSync(tmpdir());
      await sanitizeAndProve('DCIM/100APPLE/IMG_0001.MOV');
      await sanitizeAndProve('ZOOM0001.WAV');
      expect(readdirSync(tmpdir())).toEqual(before);
      expect(before).toEqual([]);
    } finally {
      process.env.TMPDIR = saved;
      rmSync(watched, { recursive: true, force: true });
    }
  });

  it('truncated, empty and random input give a clear error, not a hang', async () => {
    for (const bad of card.bad.filter((b) => ['empty', 'truncated', 'random'].includes(b.what))) {
      const file = join(card.root, bad.path);
      await expect(probeFile(tools, file)).rejects.toMatchObject({ code: 'NOT_MEDIA' });
      const run = sanitizeAv(tools, file, { hasVideo: true, hasAudio: true, videoCodec: 'h264', audioCodecs: ['aac'] });
      await collect(run.output);
      await expect(run.done).rejects.toMatchObject({ code: 'SANITIZE_FAILED' });
    }
    expect(extname('x.MP4')).toBe('.MP4');
  });
});

describe('the prover probes the head while the rest streams', () => {
  const HEAD = 16 * 1024;
  const proveInPieces = async (bytes: Buffer) => {
    const prover = createCleanlinessProver(tools, { needles: [], kind: 'video', headBytes: HEAD });
    for (let at = 0; at < bytes.length; at += 4096) prover.push(bytes.subarray(at, at + 4096));
    return prover.finish();
  };

  it('passes a clean output longer than the head', async () => {
    const { bytes } = await sanitizeAndProve('DCIM/100CANON/MVI_0001.MP4');
    expect(bytes.length).toBeGreaterThan(2 * HEAD);
    expect(await proveInPieces(bytes)).toEqual({ clean: true, problems: [] });
  });

  it('fails a tagged output with a data stream whose head is complete long before the end', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sh-head-probe-'));
    try {
      // moov (tags, the GPS data track) first, as in a fragmented output
      const tagged = join(dir, 'tagged.mp4');
      const remux = spawnSync(tools.ffmpeg, ['-v', 'error', '-i', join(card.root, 'DCIM/100GOPRO/GX010001.MP4'), '-map', '0', '-c', 'copy', '-movflags', '+faststart', tagged]);
      expect(remux.status, remux.stderr.toString()).toBe(0);
      const bytes = readFileSync(tagged);
      expect(bytes.length).toBeGreaterThan(2 * HEAD);
      const proof = await proveInPieces(bytes);
      expect(proof.clean).toBe(false);
      expect(proof.problems.join('\n')).toMatch(/stream 1 is data|carries the tag/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
