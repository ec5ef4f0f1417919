import { findCoordinates } from './coords-text';

export type FindingCategory = 'location' | 'identity' | 'device';

// Tags every muxer writes and that say nothing about place, person or device.
const NEUTRAL = new Set([
  'major_brand', 'minor_version', 'compatible_brands', 'language', 'vendor_id', 'creation_time', 'duration',
  'timecode', 'rotate', 'time_reference', 'coding_history', 'origination_date', 'origination_time', 'umid',
  'variant_bitrate', 'bps', 'number_of_frames', 'number_of_bytes', '_statistics_tags', '_statistics_writing_app',
  'colorspace', 'encoding_params', 'mime_type', 'width', 'height', 'bitdepth', 'colortype', 'compression',
  'filter', 'interlace', 'imagewidth', 'imageheight', 'orientation', 'xresolution', 'yresolution', 'resolutionunit',
  'ycbcrpositioning', 'exifversion', 'flashpixversion', 'colorspace', 'componentsconfiguration', 'gpsversionid', 'exififd', 'gpsifd', 'interopifd',
]);
const NEUTRAL_HANDLERS = new Set(['VideoHandler', 'SoundHandler', 'SubtitleHandler', 'TimeCodeHandler', 'DataHandler', 'Core Media Video', 'Core Media Audio', 'Core Media Data', 'Core Media Metadata', 'ISO Media file produced by Google Inc.', 'Mainconcept Video Media Handler', 'Mainconcept MP4 Sound Media Handler', '']);
// Software we ourselves or common tools write: not a device.
const NEUTRAL_ENCODER = /^(Lav[fc]\d|x26[45]\b|libx26[45]\b|\s*$)/i;

const LOCATION_KEY = /gps|location|latitude|longitude|\bxyz|©xyz|iso6709|geo|place|city|country|region|sublocation|address|altitude/i;
const DEVICE_KEY = /make|model|software|firmware|serial|lens|encoder|encoded_by|originator|handler|service_provider|service_name|device|camera|hostcomputer|uniquecameramodel|manufacturer|body/i;

/**
 * Classifies one metadata key/value. Returns undefined for known-neutral fields; anything unrecognised is
 * treated as identity (titles, comments and descriptions routinely carry names), i.e. fails closed.
 */
export function classifyTag(key: string, value: string): FindingCategory | undefined {
  const k = key.toLowerCase();
  if (value.trim() === '') return undefined;
  if (LOCATION_KEY.test(k) || findCoordinates(value).length > 0) return 'location';
  if (k === 'handler_name') return NEUTRAL_HANDLERS.has(value) ? undefined : 'device';
  if (k === 'encoder' || k === 'writing_library' || k === 'encoding_tool') return NEUTRAL_ENCODER.test(value) ? undefined : 'device';
  if (NEUTRAL.has(k)) return undefined;
  if (DEVICE_KEY.test(k)) return 'device';
  return 'identity';
}
