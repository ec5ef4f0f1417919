import { randomBytes, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { verifyAudit } from '../../../src/main/core/audit/audit-verify';
import { appendGenesis } from '../../../src/main/core/audit/audit-log';
import { buildSafetyReport } from '../../../src/main/core/subjects/safety-report';
import { renderSafetyReportHtml } from '../../../src/main/core/subjects/safety-report-html';
import { addAppearance } from '../../../src/main/core/subjects/appearances';
import { setConsent } from '../../../src/main/core/subjects/consent';
import { createSubject, getSubject, setProtection } from '../../../src/main/core/subjects/subjects';
import { createVault } from '../../../src/main/core/vault/vault';
import { insertClip } from './fixtures';
import { fileContains, findMarkerOnDisk, markerNeedles } from '../../helpers/marker-scan';

it('a real name, contact and notes with a unique marker are nowhere on disk in clear, nor in the audit log or report', async () => {
  const marker = `SHSUBJ-${randomUUID()}-${randomBytes(6).toString('hex')}`;
  const startedAt = Date.now() - 1000; // mtime granularity
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'sh-subject-marker-'));
  const dir = path.join(root, 'vault');
  const vault = await createVault(dir, `passphrase for ${randomUUID()}`);
  await appendGenesis(vault); // as the facade does when it creates a vault
  const clipId = await insertClip(vault, 'C0001');
  const s = await createSubject(vault, { pseudonym: 'Heron', realName: `Name ${marker}`, contact: `tel ${marker}`, notes: `notes ${marker}`, protection: ['face'] });
  await setConsent(vault, { id: s.id, state: 'given', scope: 'face hidden' });
  await setProtection(vault, s.id, ['face', 'voice']);
  await addAppearance(vault, { subjectId: s.id, clipId });
  expect((await getSubject(vault, s.id)).identity?.realName).toBe(`Name ${marker}`); // readable with the identity key…
  const report = await buildSafetyReport(vault);
  expect(JSON.stringify(report)).not.toContain(marker); // …but never in the report
  expect(renderSafetyReportHtml(report)).not.toContain(marker);
  const audit = await (await vault.catalog()).all<Record<string, unknown>>('SELECT * FROM audit_log');
  expect(audit.length).toBeGreaterThanOrEqual(4);
  expect(JSON.stringify(audit)).not.toContain(marker);
  expect((await verifyAudit(vault)).intact).toBe(true);
  await (await vault.catalog()).close();
  vault.lock();

  const { hits, scanned } = await findMarkerOnDisk(marker, [dir], startedAt);
  // At least every file of the vault was read (how many temp files other tests leave meanwhile varies).
  const vaultFiles = (await fs.readdir(dir, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());
  expect(vaultFiles.map((entry) => entry.name)).toEqual(expect.arrayContaining(['vault.json', 'catalog.db']));
  expect(scanned).toBeGreaterThanOrEqual(vaultFiles.length);
  expect(hits).toEqual([]);
  const control = path.join(root, 'control.bin');
  await fs.writeFile(control, Buffer.from(`x${marker}x`, 'utf16le'));
  expect(await fileContains(control, markerNeedles(marker))).toBe(true);
  await fs.rm(root, { recursive: true, force: true });
}, 60_000);
