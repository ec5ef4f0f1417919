/**
 * Which container holds which codecs, for the vault's masters (fragmented, streamed through pipes) and for
 * `export master` (an ordinary file the user names). Pure: no ffmpeg here, only the argument vectors.
 */

export type MasterContainer = 'mp4' | 'mov' | 'mkv';

// Codecs the MP4 muxer takes as-is. FLAC in MP4 is still flagged experimental by ffmpeg 5.1 (it is in
// the MPEG-4 registry and every current player reads it), so it needs `-strict experimental`.
const MP4_CODECS = new Set(['h264', 'hevc', 'av1', 'vp9', 'mpeg4', 'aac', 'mp3', 'ac3', 'eac3', 'opus', 'alac', 'flac']);
const PCM = /^pcm_(s8|u8|s16le|s16be|s24le|s24be|s32le|s32be|f32le|f32be|f64le|f64be)$/;
// What MOV adds to MP4: PCM from recorders, intra/broadcast video from cameras (MJPEG AVI, MXF MPEG-2 and
// DNxHD, ProRes, DV), MP2 audio. MOV refuses FLAC and Opus, so those stay in MP4.
const MOV_EXTRA = new Set(['mjpeg', 'mpeg2video', 'mpeg1video', 'dnxhd', 'prores', 'dvvideo', 'mp2', 'qtrle', 'adpcm_ima_qt']);
const movTakes = (c: string) => (MP4_CODECS.has(c) && c !== 'flac' && c !== 'opus') || MOV_EXTRA.has(c) || PCM.test(c);

/** MP4 when every codec fits, MOV when MOV takes them all, else Matroska (WMV/WMA, VC-1 …). */
export function masterContainerFor(codecs: ReadonlyArray<string | undefined>): MasterContainer {
  const known = codecs.every((c): c is string => c !== undefined);
  if (known && codecs.every((c) => MP4_CODECS.has(c as string))) return 'mp4';
  if (known && codecs.every((c) => movTakes(c as string))) return 'mov';
  return 'mkv';
}

/** Muxer flags for a fragmented master on a pipe (everything after the codec options, before the output). */
export function muxerArgs(container: MasterContainer, codecs: readonly string[]): string[] {
  if (container === 'mkv') return ['-f', 'matroska'];
  // AC-3/E-AC-3 (AVCHD, broadcast) need their first packet before the moov can be written.
  const delay = codecs.some((c) => c === 'ac3' || c === 'eac3') ? '+delay_moov' : '';
  return [
    ...(codecs.includes('flac') ? ['-strict', 'experimental'] : []),
    '-movflags', `frag_keyframe+empty_moov+default_base_moof${delay}`,
    // A fragment also ends after 1 s, not only at a keyframe: long-GOP cameras (10 s and more) would give
    // 10-s fragments, and a reader that cannot seek (the proxy ffmpeg and playback, both fed through pipes)
    // then demuxes ten seconds of video before the matching audio, which stalled proxy encoding by ~15 %.
    '-frag_duration', '1000000',
    '-f', container,
  ];
}

export interface ExportPlan {
  format: string;
  /** Codec options: '-c copy', or a lossless PCM byte-order change (AIFF is big-endian, WAV little-endian). */
  codecArgs: string[];
  muxArgs: string[];
}

export const EXPORT_EXTENSIONS = ['.mov', '.mp4', '.m4a', '.mkv', '.mka', '.wav', '.aif', '.aiff', '.flac', '.mp3'] as const;

const pcmBits = (c: string) => /^pcm_[su]?(\d+)/.exec(c)?.[1];
const onlyAudio = (video: string | undefined, audio: readonly string[]) => video === undefined && audio.length === 1;

/**
 * The ffmpeg output options that write a master's streams losslessly into the container the extension
 * names, or null when that container cannot hold them (the caller says so before any file exists).
 */
export function exportPlanFor(ext: string, video: string | undefined, audio: readonly string[]): ExportPlan | null {
  const codecs = [...(video ? [video] : []), ...audio];
  const copy = ['-c', 'copy'];
  const iso = (format: 'mp4' | 'mov'): ExportPlan => ({
    format, codecArgs: copy,
    muxArgs: [...(codecs.includes('flac') ? ['-strict', 'experimental'] : []), '-movflags', '+faststart', '-write_tmcd', '1'],
  });
  const a = audio[0] ?? '';
  switch (ext.toLowerCase()) {
    case '.mov':
      return codecs.every(movTakes) ? iso('mov') : null;
    case '.mp4':
      return codecs.every((c) => MP4_CODECS.has(c)) ? iso('mp4') : null;
    case '.m4a':
      return video === undefined && codecs.every((c) => MP4_CODECS.has(c)) ? { ...iso('mp4'), format: 'ipod' } : null;
    case '.mkv':
      return { format: 'matroska', codecArgs: copy, muxArgs: [] };
    case '.mka':
      return video === undefined ? { format: 'matroska', codecArgs: copy, muxArgs: [] } : null;
    case '.wav':
      // No bext, no LIST-INFO: the export carries sound only.
      return onlyAudio(video, audio) && PCM.test(a) ? { format: 'wav', codecArgs: ['-c:a', a === 'pcm_u8' ? a : `pcm_${a.startsWith('pcm_f') ? 'f' : 's'}${pcmBits(a)}le`], muxArgs: ['-write_bext', '0', '-rf64', 'auto'] } : null;
    case '.aif':
    case '.aiff':
      return onlyAudio(video, audio) && PCM.test(a) && a !== 'pcm_u8' ? { format: 'aiff', codecArgs: ['-c:a', `pcm_${a.startsWith('pcm_f') ? 'f' : 's'}${pcmBits(a)}be`], muxArgs: ['-write_id3v2', '0'] } : null;
    case '.flac':
      // PCM → FLAC is lossless; FLAC stays as it is.
      return onlyAudio(video, audio) && (a === 'flac' || (PCM.test(a) && !a.startsWith('pcm_f'))) ? { format: 'flac', codecArgs: a === 'flac' ? copy : ['-c:a', 'flac'], muxArgs: [] } : null;
    case '.mp3':
      return onlyAudio(video, audio) && a === 'mp3' ? { format: 'mp3', codecArgs: copy, muxArgs: ['-id3v2_version', '0', '-write_xing', '0'] } : null;
    default:
      return null;
  }
}

/** Extensions that can hold these streams, for the error that refuses another one. */
export function exportExtensionsFor(video: string | undefined, audio: readonly string[]): string[] {
  return EXPORT_EXTENSIONS.filter((ext) => exportPlanFor(ext, video, audio) !== null);
}
