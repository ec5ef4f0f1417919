import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getClip, listClips, safetyCounts } from '../../../src/main/core/ingest/clip-queries';
import { addAppearance, removeAppearance, reviewNoPeople } from '../../../src/main/core/subjects/appearances';
import { setConsent } from '../../../src/main/core/subjects/consent';
import { getProtectionPlan } from '../../../src/main/core/subjects/protection-plan';
import { onProtectionChanged } from '../../../src/main/core/subjects/protection-events';
import { buildSafetyReport } from '../../../src/main/core/subjects/safety-report';
import { addEvidence, createSubject, getSubject, listSubjects, setProtection } from '../../../src/main/core/subjects/subjects';
import { createVault, readRecipientCard, type UnlockedVault } from '../../../src/main/core/vault/vault';
import { PASS, expectCode, tempDir } from '../vault/helpers';
import { insertClip, recordExport } from './fixtures';

let root: string;
let hq: UnlockedVault;
let field: UnlockedVault;

beforeAll(async () => {
  root = await tempDir('sh-subjects-');
  hq = await createVault(path.join(root, 'hq'), PASS);
  const card = readRecipientCard(JSON.stringify(hq.exportRecipientCard()));
  field = await createVault(path.join(root, 'field'), 'field crew passphrase', { kind: 'field', hqRecipientCard: card });
});
afterAll(async () => {
  hq.lock();
  field.lock();
  await fs.rm(root, { recursive: true, force: true });
});

describe('subjects', () => {
  it('creates a subject with a sealed identity and lists it by pseudonym', async () => {
    const created = await createSubject(hq, { pseudonym: 'Heron', realName: 'Amina Example', contact: '+00 000', protection: ['voice', 'face', 'face'] });
    expect(created).toMatchObject({ pseudonym: 'Heron', protection: ['face', 'voice'], consent: null, identitySealed: false });
    expect(created.identity).toEqual({ realName: 'Amina Example', contact: '+00 000', notes: '' });
    expect(created.id).toMatch(/^[0-9a-f]{16}$/);
    expect((await listSubjects(hq)).map((s) => s.pseudonym)).toContain('Heron');
    const row = await (await hq.catalog()).get<Record<string, unknown>>('SELECT * FROM subjects WHERE id = ?', [created.id]);
    expect(JSON.stringify(row)).not.toContain('Heron');
    await expectCode(getSubject(hq, 'nope'), 'NOT_FOUND');
  });

  it('keeps every consent decision: history is appended, never overwritten, and the catalog refuses rewrites', async () => {
    const s = await createSubject(hq, { pseudonym: 'Kestrel' });
    await setConsent(hq, { id: s.id, state: 'pending', scope: 'asked on day 1' });
    await setConsent(hq, { id: s.id, state: 'given', scope: 'face may be shown in the final film', recordedBy: 'Producer R.' });
    const after = await setConsent(hq, { id: s.id, state: 'conditional', scope: 'voice only' });
    expect(after.subject.consent).toMatchObject({ state: 'conditional', scope: 'voice only', recordedBy: 'producer' });
    expect(after.subject.consentHistory.map((c) => c.state)).toEqual(['conditional', 'given', 'pending']);
    expect(after.subject.consentHistory[1]).toMatchObject({ scope: 'face may be shown in the final film', recordedBy: 'Producer R.' });
    const catalog = await hq.catalog();
    await expect(catalog.run("UPDATE consents SET state = 'given' WHERE subject_id = ?", [s.id])).rejects.toThrow(/append-only/);
    await expect(catalog.run('DELETE FROM consents WHERE subject_id = ?', [s.id])).rejects.toThrow(/append-only/);
  });

  it('a field vault records identities it can never read back: only the status and protection show', async () => {
    const s = await createSubject(field, { pseudonym: 'Swift', realName: 'Real Person', notes: 'lives near the market', protection: ['face'] });
    await setConsent(field, { id: s.id, state: 'pending' });
    const seen = await getSubject(field, s.id);
    // The pseudonym and who recorded the consent are typed text: a field vault seals them to HQ too.
    expect(seen).toMatchObject({ pseudonym: '', identity: null, identitySealed: true, protection: ['face'] });
    expect(seen.consent?.state).toBe('pending');
    expect(seen.consent?.recordedBy).toBe('');
    const sealed = await (await field.catalog()).get<{ pseudonym_sealed: Uint8Array }>('SELECT pseudonym_sealed FROM subjects WHERE id = ?', [s.id]);
    await expectCode(() => field.openValue(sealed!.pseudonym_sealed), 'KEY_CLASS_UNAVAILABLE');
    const row = await (await field.catalog()).get<{ identity_sealed: Uint8Array }>('SELECT identity_sealed FROM subjects WHERE id = ?', [s.id]);
    await expectCode(() => field.openValue(row!.identity_sealed), 'KEY_CLASS_UNAVAILABLE');
    // Evidence is write-only in the field too.
    const file = path.join(root, 'release.txt');
    await fs.writeFile(file, 'signed release');
    const withEvidence = await addEvidence(field, s.id, file, 'release');
    expect(withEvidence.evidence).toHaveLength(1);
    const obj = await (await field.catalog()).get<{ object_id: string }>('SELECT object_id FROM subject_evidence WHERE subject_id = ?', [s.id]);
    await expectCode(field.readObject(obj!.object_id), 'KEY_CLASS_UNAVAILABLE');
  });

  it('evidence at HQ is an identity-class object HQ can read', async () => {
    const s = await createSubject(hq, { pseudonym: 'Wren' });
    const file = path.join(root, 'verbal.txt');
    await fs.writeFile(file, 'recorded verbal consent');
    await addEvidence(hq, s.id, file, 'verbal');
    const obj = await (await hq.catalog()).get<{ object_id: string }>('SELECT object_id FROM subject_evidence WHERE subject_id = ?', [s.id]);
    expect((await hq.objectMeta(obj!.object_id)).cls).toBe('identity');
    expect((await hq.readObject(obj!.object_id)).data.toString()).toBe('recorded verbal consent');
  });
});

describe('clip safety from subjects', () => {
  it('moves a clip from needs-review to cleared, regions, and blocked on withdrawal, with a recall list', async () => {
    const clipId = await insertClip(hq, 'C0101');
    const other = await insertClip(hq, 'C0102');
    const events: string[][] = [];
    const off = onProtectionChanged((ids) => events.push(ids));

    expect((await getClip(hq, clipId)).safety).toBe('needs-review');
    expect((await getProtectionPlan(hq, clipId)).mode).toBe('full');

    const s = await createSubject(hq, { pseudonym: 'Osprey', protection: ['face'] });
    const a = await addAppearance(hq, { subjectId: s.id, clipId, ranges: [{ from: 2, to: 9 }] });
    expect(a).toMatchObject({ clipCode: 'C0101', ranges: [{ from: 2, to: 9 }], regions: [] });
    await addAppearance(hq, { subjectId: s.id, clipId: other });
    await setConsent(hq, { id: s.id, state: 'given' });
    expect((await getClip(hq, clipId)).safety).toBe('needs-review'); // face uncovered
    const full = await getProtectionPlan(hq, clipId);
    expect(full.mode).toBe('full');

    await removeAppearance(hq, a.id);
    await addAppearance(hq, { subjectId: s.id, clipId, regions: [{ t: 0, x: 0.4, y: 0.2, w: 0.2, h: 0.3 }] });
    expect((await getClip(hq, clipId)).safety).toBe('cleared');
    const regions = await getProtectionPlan(hq, clipId);
    expect(regions).toMatchObject({ mode: 'regions', excluded: false, voice: null });
    expect(regions.regions).toEqual([[{ t: 0, x: 0.4, y: 0.2, w: 0.2, h: 0.3 }]]);
    expect(regions.fingerprint).toBe((await getProtectionPlan(hq, clipId)).fingerprint);
    expect(regions.fingerprint).not.toBe(full.fingerprint);

    const voiced = await setProtection(hq, s.id, ['face', 'voice']);
    expect(voiced.protection).toEqual(['face', 'voice']);
    expect((await getProtectionPlan(hq, clipId)).voice).toEqual({ method: 'disguise', ranges: 'all', subjectIds: [s.id] });
    await setProtection(hq, s.id, ['face', 'voice', 'mute-voice']);
    expect((await getProtectionPlan(hq, clipId)).voice).toEqual({ method: 'mute', ranges: 'all' });
    await setProtection(hq, s.id, ['face', 'voice']);

    const exportId = await recordExport(hq, 'Editor K', [clipId]);
    const withdrawn = await setConsent(hq, { id: s.id, state: 'withdrawn' });
    expect((await getClip(hq, clipId)).safety).toBe('blocked');
    expect((await getClip(hq, other)).safety).toBe('blocked');
    expect((await getProtectionPlan(hq, clipId)).excluded).toBe(true);
    expect(withdrawn.recall).toEqual([{ exportId, createdAt: expect.any(String), recipient: 'Editor K', clips: [{ clipId, code: 'C0101' }] }]);
    expect(withdrawn.subject.exports).toHaveLength(1);
    expect(withdrawn.subject.unprotectedClipCount).toBe(2);
    off();
    expect(events.flat()).toContain(clipId);
    expect(events.at(-1)?.sort()).toEqual([clipId, other].sort());
  });

  it('a "no people" review clears a verified clip, is refused while people are linked, and is dropped by a new appearance', async () => {
    const clipId = await insertClip(hq, 'C0201');
    const reviewed = await reviewNoPeople(hq, clipId);
    expect(reviewed).toMatchObject({ code: 'C0201', safety: 'cleared', reasons: [] });
    expect((await getProtectionPlan(hq, clipId)).mode).toBe('none');
    const s = await createSubject(hq, { pseudonym: 'Plover' });
    await addAppearance(hq, { subjectId: s.id, clipId });
    expect((await getClip(hq, clipId)).safety).toBe('needs-review');
    await expectCode(reviewNoPeople(hq, clipId), 'NOT_SAFE');
    await expectCode(addAppearance(hq, { subjectId: s.id, clipId: 'missing' }), 'NOT_FOUND');
  });

  it('quarantined clips need review even when reviewed; counts and the report agree with listClips', async () => {
    const q = await insertClip(hq, 'C0301', 'quarantined');
    await reviewNoPeople(hq, q);
    const report = await buildSafetyReport(hq);
    const clip = report.clips.find((c) => c.clipId === q)!;
    expect(clip.reasons.map((r) => r.code)).toEqual(['clip-quarantined']);
    const clips = await listClips(hq);
    expect(report.clips.map((c) => [c.clipId, c.safety])).toEqual(clips.map((c) => [c.id, c.safety]));
    expect(await safetyCounts(hq)).toEqual(report.counts);
    const osprey = report.subjects.find((s) => s.pseudonym === 'Osprey')!;
    expect(osprey).toMatchObject({ consent: 'withdrawn', unprotectedClipCount: 2 });
    expect(osprey.exports).toHaveLength(1);
  });
});
