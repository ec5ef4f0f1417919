import { afterAll, describe, expect, it } from 'vitest';
import { scanCard, type CardScan } from '../../../src/main/core/ingest/card-scan';
import { files, makeCard, removeTempCards } from './temp-card';

afterAll(removeTempCards);

/** clip id → [layout, kind, sidecar relPaths] */
function summary(scan: CardScan): Record<string, [string, string, string[]]> {
  return Object.fromEntries(scan.clips.map((c) => [c.id, [c.layout, c.kind, c.sidecars.map((s) => s.relPath)]]));
}
function sidecar(scan: CardScan, relPath: string) {
  return scan.clips.flatMap((c) => c.sidecars).find((s) => s.relPath === relPath);
}
const unknown = (scan: CardScan) => scan.unknown.map((f) => f.relPath);

describe('camera layouts', () => {
  it('Sony XAVC: clip with NRT XML, thumbnail and proxy; card index stays unknown', async () => {
    const scan = await scanCard(makeCard(files(
      'PRIVATE/M4ROOT/CLIP/C0001.MP4', 'PRIVATE/M4ROOT/CLIP/C0001M01.XML', 'PRIVATE/M4ROOT/THMBNL/C0001T01.JPG',
      'PRIVATE/M4ROOT/SUB/C0001S03.MP4', 'PRIVATE/M4ROOT/CLIP/C0002.MP4', 'PRIVATE/M4ROOT/MEDIAPRO.XML', 'PRIVATE/M4ROOT/STATUS.BIN',
    )));
    expect(summary(scan)).toEqual({
      'PRIVATE/M4ROOT/CLIP/C0001.MP4': ['sony-xavc', 'video', ['PRIVATE/M4ROOT/CLIP/C0001M01.XML', 'PRIVATE/M4ROOT/SUB/C0001S03.MP4', 'PRIVATE/M4ROOT/THMBNL/C0001T01.JPG']],
      'PRIVATE/M4ROOT/CLIP/C0002.MP4': ['sony-xavc', 'video', []],
    });
    expect(sidecar(scan, 'PRIVATE/M4ROOT/CLIP/C0001M01.XML')).toMatchObject({ role: 'sidecar', sidecarKind: 'xml', carriesLocation: true });
    expect(sidecar(scan, 'PRIVATE/M4ROOT/SUB/C0001S03.MP4')).toMatchObject({ sidecarKind: 'lowres', carriesLocation: true });
    expect(sidecar(scan, 'PRIVATE/M4ROOT/THMBNL/C0001T01.JPG')).toMatchObject({ sidecarKind: 'thumbnail' });
    expect(scan.clips[0]?.primary).toMatchObject({ role: 'primary', carriesLocation: false, size: 1 });
    expect(unknown(scan)).toEqual(['PRIVATE/M4ROOT/MEDIAPRO.XML', 'PRIVATE/M4ROOT/STATUS.BIN']);
    expect(scan.layouts).toEqual(['sony-xavc']);
  });

  it('Canon DCIM (video with THM, RAW+JPEG pair) and Cinema EOS CONTENTS with XML', async () => {
    const scan = await scanCard(makeCard(files(
      'DCIM/100CANON/MVI_0001.MOV', 'DCIM/100CANON/MVI_0001.THM', 'DCIM/100CANON/IMG_0002.CR3', 'DCIM/100CANON/IMG_0002.JPG',
      'CONTENTS/CLIPS001/A001C001_220101AB_CANON.MXF', 'CONTENTS/CLIPS001/A001C001_220101AB_CANON.XML',
    )));
    expect(summary(scan)).toEqual({
      'CONTENTS/CLIPS001/A001C001_220101AB_CANON.MXF': ['canon-cinema', 'video', ['CONTENTS/CLIPS001/A001C001_220101AB_CANON.XML']],
      'DCIM/100CANON/IMG_0002.CR3': ['canon', 'still', []],
      'DCIM/100CANON/IMG_0002.JPG': ['canon', 'still', []],
      'DCIM/100CANON/MVI_0001.MOV': ['canon', 'video', ['DCIM/100CANON/MVI_0001.THM']],
    });
    expect(sidecar(scan, 'CONTENTS/CLIPS001/A001C001_220101AB_CANON.XML')).toMatchObject({ sidecarKind: 'xml', carriesLocation: true });
    expect(scan.layouts).toEqual(['canon', 'canon-cinema']);
  });

  it('Panasonic AVCHD stream with CPI, and DCIM/1xx_PANA', async () => {
    const scan = await scanCard(makeCard(files(
      'PRIVATE/AVCHD/BDMV/STREAM/00000.MTS', 'PRIVATE/AVCHD/BDMV/CLIPINF/00000.CPI', 'PRIVATE/AVCHD/BDMV/INDEX.BDM',
      'PRIVATE/AVCHD/BDMV/PLAYLIST/00000.MPL', 'DCIM/100_PANA/P1000001.MP4', 'DCIM/100_PANA/P1000002.RW2',
    )));
    expect(summary(scan)).toEqual({
      'DCIM/100_PANA/P1000001.MP4': ['panasonic', 'video', []],
      'DCIM/100_PANA/P1000002.RW2': ['panasonic', 'still', []],
      'PRIVATE/AVCHD/BDMV/STREAM/00000.MTS': ['panasonic-avchd', 'video', ['PRIVATE/AVCHD/BDMV/CLIPINF/00000.CPI']],
    });
    expect(sidecar(scan, 'PRIVATE/AVCHD/BDMV/CLIPINF/00000.CPI')).toMatchObject({ sidecarKind: 'other', carriesLocation: false });
    expect(unknown(scan)).toEqual(['PRIVATE/AVCHD/BDMV/INDEX.BDM', 'PRIVATE/AVCHD/BDMV/PLAYLIST/00000.MPL']);
  });

  it('GoPro: GX/GH clips with THM and GL…LRV proxies; stills', async () => {
    const scan = await scanCard(makeCard(files(
      'DCIM/100GOPRO/GX010001.MP4', 'DCIM/100GOPRO/GX010001.THM', 'DCIM/100GOPRO/GL010001.LRV',
      'DCIM/100GOPRO/GH010002.MP4', 'DCIM/100GOPRO/GH010002.THM', 'DCIM/100GOPRO/GOPR0003.JPG',
    )));
    expect(summary(scan)).toEqual({
      'DCIM/100GOPRO/GH010002.MP4': ['gopro', 'video', ['DCIM/100GOPRO/GH010002.THM']],
      'DCIM/100GOPRO/GOPR0003.JPG': ['gopro', 'still', []],
      'DCIM/100GOPRO/GX010001.MP4': ['gopro', 'video', ['DCIM/100GOPRO/GL010001.LRV', 'DCIM/100GOPRO/GX010001.THM']],
    });
    expect(sidecar(scan, 'DCIM/100GOPRO/GL010001.LRV')).toMatchObject({ sidecarKind: 'lowres', carriesLocation: true });
    expect(sidecar(scan, 'DCIM/100GOPRO/GX010001.THM')).toMatchObject({ sidecarKind: 'thumbnail' });
  });

  it('DJI: SRT and LRF go with the video, not the JPG/DNG of the same name; newer DJI_001 folder', async () => {
    const scan = await scanCard(makeCard(files(
      'DCIM/100MEDIA/DJI_0001.MP4', 'DCIM/100MEDIA/DJI_0001.SRT', 'DCIM/100MEDIA/DJI_0001.LRF', 'DCIM/100MEDIA/DJI_0001.JPG',
      'DCIM/100MEDIA/DJI_0002.DNG', 'DCIM/DJI_001/DJI_20240101120000_0001_D.MP4', 'DCIM/DJI_001/DJI_20240101120000_0001_D.SRT',
    )));
    expect(summary(scan)).toEqual({
      'DCIM/100MEDIA/DJI_0001.JPG': ['dji', 'still', []],
      'DCIM/100MEDIA/DJI_0001.MP4': ['dji', 'video', ['DCIM/100MEDIA/DJI_0001.LRF', 'DCIM/100MEDIA/DJI_0001.SRT']],
      'DCIM/100MEDIA/DJI_0002.DNG': ['dji', 'still', []],
      'DCIM/DJI_001/DJI_20240101120000_0001_D.MP4': ['dji', 'video', ['DCIM/DJI_001/DJI_20240101120000_0001_D.SRT']],
    });
    expect(sidecar(scan, 'DCIM/100MEDIA/DJI_0001.SRT')).toMatchObject({ sidecarKind: 'srt', carriesLocation: true });
  });

  it('iPhone: Live Photo pair, AAE with the original still, edited copy, PNG', async () => {
    const scan = await scanCard(makeCard(files(
      'DCIM/100APPLE/IMG_0001.HEIC', 'DCIM/100APPLE/IMG_0001.MOV', 'DCIM/100APPLE/IMG_0001.AAE',
      'DCIM/100APPLE/IMG_0002.JPG', 'DCIM/100APPLE/IMG_E0002.JPG', 'DCIM/100APPLE/IMG_O0002.AAE', 'DCIM/101APPLE/IMG_0003.PNG',
    )));
    expect(summary(scan)).toEqual({
      'DCIM/100APPLE/IMG_0001.HEIC': ['phone', 'still', ['DCIM/100APPLE/IMG_0001.AAE']],
      'DCIM/100APPLE/IMG_0001.MOV': ['phone', 'video', []],
      'DCIM/100APPLE/IMG_0002.JPG': ['phone', 'still', ['DCIM/100APPLE/IMG_O0002.AAE']],
      'DCIM/100APPLE/IMG_E0002.JPG': ['phone', 'still', []],
      'DCIM/101APPLE/IMG_0003.PNG': ['phone', 'still', []],
    });
    expect(sidecar(scan, 'DCIM/100APPLE/IMG_0001.AAE')).toMatchObject({ sidecarKind: 'aae', carriesLocation: true });
  });

  it('field recorders: every WAV track is its own audio clip; project files stay unknown', async () => {
    const scan = await scanCard(makeCard(files(
      'ZOOM0001/ZOOM0001_Tr1.WAV', 'ZOOM0001/ZOOM0001_Tr2.WAV', 'ZOOM0001/ZOOM0001_LR.WAV', 'ZOOM0001/ZOOM0001.hprj',
      '240101/240101_001/240101_001_Tr1.WAV', 'TASCAM_0001.wav', 'SOUND/Scene 4-T01.WAV',
    )));
    expect(summary(scan)).toEqual({
      '240101/240101_001/240101_001_Tr1.WAV': ['zoom', 'audio', []],
      'SOUND/Scene 4-T01.WAV': ['field-recorder', 'audio', []],
      'TASCAM_0001.wav': ['tascam', 'audio', []],
      'ZOOM0001/ZOOM0001_LR.WAV': ['zoom', 'audio', []],
      'ZOOM0001/ZOOM0001_Tr1.WAV': ['zoom', 'audio', []],
      'ZOOM0001/ZOOM0001_Tr2.WAV': ['zoom', 'audio', []],
    });
    expect(unknown(scan)).toEqual(['ZOOM0001/ZOOM0001.hprj']);
  });

  it('generic: media by extension anywhere, same-stem XMP sidecar; orphan sidecars and other files are unknown', async () => {
    const scan = await scanCard(makeCard(files('footage/day 1/clip.mkv', 'footage/day 1/clip.xmp', 'notes.txt', 'orphan.SRT', 'DCIM/100MSDCF/DSC00001.ARW')));
    expect(summary(scan)).toEqual({
      'DCIM/100MSDCF/DSC00001.ARW': ['generic', 'still', []],
      'footage/day 1/clip.mkv': ['generic', 'video', ['footage/day 1/clip.xmp']],
    });
    expect(sidecar(scan, 'footage/day 1/clip.xmp')).toMatchObject({ sidecarKind: 'xml', carriesLocation: true });
    expect(unknown(scan)).toEqual(['notes.txt', 'orphan.SRT']);
    expect(scan.unknown.every((f) => f.role === 'unknown')).toBe(true);
  });

  it('lower-case names on a phone-mounted card still match', async () => {
    const scan = await scanCard(makeCard(files('dcim/100gopro/gx010001.mp4', 'dcim/100gopro/gl010001.lrv')));
    expect(summary(scan)).toEqual({ 'dcim/100gopro/gx010001.mp4': ['gopro', 'video', ['dcim/100gopro/gl010001.lrv']] });
  });
});
