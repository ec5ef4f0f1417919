import { randomBytes, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { verifyAudit } from '../../../src/main/core/audit/audit-verify';
import { buildSafetyReport } from '../../../src/main/core/subjects/safety-report';
import { renderSafetyReportHtml } from '../../../src/main/core/subjects/safety-report-html';
import { addAppearance } from '../../../src/main/core/subjects/appearances';
import { setConsent } from '../../../src/main/core/subjects/consent';
import { createSubject, getSubject, setProtection } from '../../../src/main/core/subjects/subjects';
import { createVault } from '../../../src/main/core/vault/vault';
import { insertClip } from './fixtures';

/** Every regular file under root (no symlinks followed; unreadable entries skipped). */
async function* walk(root: string): AsyncGenerator<string> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(root, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const full = path.join(root, e.name);
    if (e.isDirectory()) yield* walk(full);
    else if (e.isFile()) yield full;
  }
}

/** Streams a file looking for any needle; chunks overlap so a match across a boundary is not missed. */
async function fileContains(file: string, needles: Buffer[]): Promise<boolean> {
  const fh = await fs.open(file, 'r').catch(() => null);
  if (!fh) return false;
  try {
    const overlap = Math.max(...needles.map((n) => n.length));
    const buf = Buffer.alloc(4 * 1024 * 1024 + overlap);
    let carry = 0;
    let pos = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, carry, buf.length - carry, pos).catch(() => ({ bytesRead: 0 }));
      if (bytesRead === 0) return false;
      pos += bytesRead;
      const view = buf.subarray(0, carry + bytesRead);
      if (needles.some((n) => view.includes(n))) return true;
      carry = Math.min(overlap, view.length);
      view.copy(buf, 0, view.length - carry);
    }
  } finally {
    await fh.close();
  }
}

it('a real name, contact and notes with a unique marker are nowhere on disk in clear, nor in the audit log or report', async () => {
  const marker = `SHSUBJ-${randomUUID()}-${randomBytes(6).toString('hex')}`;
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'sh-subject-marker-'));
  const dir = path.join(root, 'vault');
  const vault = await createVault(dir, `passphrase for ${randomUUID()}`);
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

  const needles = [Buffer.from(marker, 'utf8'), Buffer.from(marker, 'utf16le')];
  const hits: string[] = [];
  let scanned = 0;
  for (const start of [dir, os.tmpdir()]) {
    for await (const file of walk(start)) {
      scanned++;
      if (await fileContains(file, needles)) hits.push(file);
    }
  }
  expect(scanned).toBeGreaterThan(3);
  expect(hits).toEqual([]);
  const control = path.join(root, 'control.bin');
  await fs.writeFile(control, Buffer.from(`x${marker}x`, 'utf16le'));
  expect(await fileContains(control, needles)).toBe(true);
  await fs.rm(root, { recursive: true, force: true });
}, 60_000);
