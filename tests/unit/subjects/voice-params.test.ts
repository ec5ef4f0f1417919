import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../../src/main/core/catalog/migrations';
import { createSubject } from '../../../src/main/core/subjects/subjects';
import { drawVoiceParams, isVoiceParams, voiceParamsFor } from '../../../src/main/core/subjects/voice-params';
import { createVault, readRecipientCard, type UnlockedVault } from '../../../src/main/core/vault/vault';
import { PASS, tempDir } from '../vault/helpers';

let root: string;
let hq: UnlockedVault;
let field: UnlockedVault;

beforeAll(async () => {
  root = await tempDir('sh-voice-');
  hq = await createVault(path.join(root, 'hq'), PASS);
  const card = readRecipientCard(JSON.stringify(hq.exportRecipientCard()));
  field = await createVault(path.join(root, 'field'), 'field crew passphrase', { kind: 'field', hqRecipientCard: card });
});
afterAll(async () => {
  hq.lock();
  field.lock();
  await fs.rm(root, { recursive: true, force: true });
});

const semitones = (ratio: number) => 12 * Math.log2(ratio);

describe('secret voice parameters', () => {
  it('are drawn from the whole range, in both directions, never the same twice', () => {
    const drawn = Array.from({ length: 400 }, () => drawVoiceParams());
    expect(drawn.every(isVoiceParams)).toBe(true);
    const pitch = drawn.map((d) => semitones(d.pitch));
    expect(Math.min(...pitch)).toBeLessThan(-5.5);
    expect(Math.max(...pitch)).toBeGreaterThan(5.5);
    expect(pitch.filter((p) => Math.abs(p) < 3)).toEqual([]);
    expect(drawn.some((d) => d.formant < 1) && drawn.some((d) => d.formant > 1)).toBe(true);
    // Pitch and formant directions are independent: all four combinations occur.
    const combos = new Set(drawn.map((d) => `${d.pitch > 1}-${d.formant > 1}`));
    expect(combos.size).toBe(4);
    expect(new Set(drawn.map((d) => `${d.pitch}/${d.formant}`)).size).toBe(drawn.length);
  });

  it.each([
    [{ v: 1, pitch: 0.75, formant: 1.1 }, true],
    [{ v: 1, pitch: 1, formant: 1.1 }, false], // no pitch change
    [{ v: 1, pitch: 0.75, formant: 1 }, false], // no formant change
    [{ v: 1, pitch: 3, formant: 1.1 }, false], // out of range
    [{ v: 2, pitch: 0.75, formant: 1.1 }, false],
    [{ pitch: '0.75', formant: 1.1, v: 1 }, false],
    [null, false],
  ])('a stored %j is accepted: %s', (value, ok) => {
    expect(isVoiceParams(value)).toBe(ok);
  });

  it('differ between subjects, stay the same for one subject, and are sealed, never in the clear', async () => {
    const a = await createSubject(hq, { pseudonym: 'Heron', protection: ['voice'] });
    const b = await createSubject(hq, { pseudonym: 'Kestrel', protection: ['voice'] });
    const pa = (await voiceParamsFor(hq, a.id))!;
    const pb = (await voiceParamsFor(hq, b.id))!;
    expect(isVoiceParams(pa) && isVoiceParams(pb)).toBe(true);
    expect(pa).not.toEqual(pb);
    expect(await voiceParamsFor(hq, a.id)).toEqual(pa);

    const catalog = await hq.catalog();
    const rows = await catalog.all<{ subject_id: string; params_sealed: Uint8Array }>('SELECT subject_id, params_sealed FROM voice_params ORDER BY subject_id');
    expect(rows.map((r) => r.subject_id).sort()).toEqual([a.id, b.id].sort());
    // Neither the JSON nor the numbers are anywhere in the catalog files (database and its journal).
    const files = (await fs.readdir(path.join(root, 'hq'))).filter((f) => f.startsWith('catalog.db'));
    const bytes = Buffer.concat(await Promise.all(files.map((f) => fs.readFile(path.join(root, 'hq', f)))));
    for (const p of [pa, pb]) {
      for (const text of ['"pitch"', '"formant"', String(p.pitch), String(p.formant), String(p.pitch).slice(0, 8)]) expect(bytes.includes(Buffer.from(text)), text).toBe(false);
    }
    for (const r of rows) expect(Buffer.from(r.params_sealed).includes(Buffer.from('pitch'))).toBe(false);
  });

  it('a vault that cannot open the identity class gets none (its proxies mute instead)', async () => {
    const s = await createSubject(field, { pseudonym: 'Plover', protection: ['voice'] });
    expect(field.info.canOpen.identity).toBe(false);
    expect(await voiceParamsFor(field, s.id)).toBeNull();
    const catalog = await field.catalog();
    expect(await catalog.all('SELECT subject_id FROM voice_params')).toEqual([]);
  });

  it('the table comes from the one migration of this change', () => {
    expect(migrations.filter((m) => m.name === 'voice parameters')).toHaveLength(1);
    expect(migrations.find((m) => m.name === 'voice parameters')?.up).toContain('CREATE TABLE voice_params');
  });
});
