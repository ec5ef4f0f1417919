import { promises as fs } from 'node:fs';
import { SafehouseError } from '../../../shared/errors';
import type { AuditCheckpoint, AuditProblem, AuditVerification } from '../../../shared/model';
import { loadSodium, type Sodium } from '../vault/sodium';
import type { UnlockedVault } from '../vault/vault';
import { GENESIS_ACTION, appendAudit, canonicalEntry, entryHash, entrySignedMessage, genesisHash, readAuditRows, type AuditDetails, type AuditRow } from './audit-log';

/**
 * Verifying the audit log, and the checkpoints that make truncation detectable.
 *
 * Per entry: the seq follows the one before, prev_hash is the previous entry's hash, the hash matches the
 * content, and the device key signed the hash. A checkpoint is the signed (seq, head hash) pair written to
 * a file the producer keeps off the laptop: the log must still reach that seq with that exact hash.
 */

const b64 = (sodium: Sodium, bytes: Uint8Array) => sodium.to_base64(bytes, sodium.base64_variants.ORIGINAL);
const unb64 = (sodium: Sodium, text: string) => sodium.from_base64(text, sodium.base64_variants.ORIGINAL);

function checkpointMessage(c: Pick<AuditCheckpoint, 'vaultId' | 'seq' | 'head' | 'createdAt'>): Uint8Array {
  return new TextEncoder().encode(`safehouse-audit-checkpoint-v1:${c.vaultId}:${c.seq}:${c.head}:${c.createdAt}`);
}

function verifySig(sodium: Sodium, signature: string, message: Uint8Array, publicKey: Uint8Array): boolean {
  try {
    return sodium.crypto_sign_verify_detached(unb64(sodium, signature), message, publicKey);
  } catch {
    return false;
  }
}

function checkEntry(sodium: Sodium, vault: UnlockedVault, row: AuditRow): AuditProblem | null {
  let details: AuditDetails;
  try {
    details = JSON.parse(row.details_json) as AuditDetails;
  } catch {
    return { seq: row.seq, kind: 'edited', message: `Entry ${row.seq} was altered: its details are no longer readable.` };
  }
  const recomputed = entryHash(sodium, row.prev_hash, canonicalEntry({ seq: row.seq, at: row.at, action: row.action, details }));
  if (recomputed !== row.hash) {
    return { seq: row.seq, kind: 'edited', message: `Entry ${row.seq} (${row.action}) was altered or moved: its content no longer matches its hash.` };
  }
  if (!verifySig(sodium, row.sig, entrySignedMessage(vault.info.id, row.hash), vault.signingPublicKey)) {
    return { seq: row.seq, kind: 'bad-signature', message: `Entry ${row.seq} (${row.action}) is not signed by this vault's device key: it was forged or inserted.` };
  }
  return null;
}

function checkChain(sodium: Sodium, vault: UnlockedVault, rows: AuditRow[]): AuditProblem[] {
  const problems: AuditProblem[] = [];
  let prevHash = genesisHash(sodium, vault.info.id);
  let expected = 1;
  for (const row of rows) {
    if (row.seq !== expected) {
      problems.push({
        seq: expected,
        kind: 'missing',
        message: row.seq > expected ? `Entries ${expected}–${row.seq - 1} are missing: they were deleted.` : `Entry ${row.seq} is out of sequence.`,
      });
    } else if (row.prev_hash !== prevHash) {
      problems.push({ seq: row.seq, kind: 'chain-broken', message: `Entry ${row.seq} does not follow the entry before it: entries were deleted, reordered or inserted.` });
    }
    const problem = checkEntry(sodium, vault, row);
    if (problem) problems.push(problem);
    prevHash = row.hash;
    expected = row.seq + 1;
  }
  return problems;
}

function checkCheckpoint(sodium: Sodium, vault: UnlockedVault, rows: AuditRow[], checkpoint: AuditCheckpoint): { problems: AuditProblem[]; matched: boolean } {
  const ownKey = b64(sodium, vault.signingPublicKey);
  if (checkpoint.vaultId !== vault.info.id || checkpoint.publicKey !== ownKey) {
    return { matched: false, problems: [{ seq: checkpoint.seq, kind: 'checkpoint-invalid', message: 'This checkpoint belongs to another vault (vault id or device key differ).' }] };
  }
  if (!verifySig(sodium, checkpoint.signature, checkpointMessage(checkpoint), vault.signingPublicKey)) {
    return { matched: false, problems: [{ seq: checkpoint.seq, kind: 'checkpoint-invalid', message: 'The checkpoint file was altered: its signature does not verify.' }] };
  }
  const row = rows.find((r) => r.seq === checkpoint.seq);
  const last = rows[rows.length - 1]?.seq ?? 0;
  if (!row) {
    const message =
      last < checkpoint.seq
        ? `The log ends at entry ${last}, but the checkpoint of ${checkpoint.createdAt} reached entry ${checkpoint.seq}: entries ${last + 1}–${checkpoint.seq} were cut off.`
        : `Entry ${checkpoint.seq}, recorded in the checkpoint of ${checkpoint.createdAt}, is missing.`;
    return { matched: false, problems: [{ seq: checkpoint.seq, kind: 'truncated', message }] };
  }
  if (row.hash !== checkpoint.head) {
    return { matched: false, problems: [{ seq: checkpoint.seq, kind: 'checkpoint-mismatch', message: `The log up to entry ${checkpoint.seq} differs from the exported checkpoint of ${checkpoint.createdAt}: history was rewritten.` }] };
  }
  return { matched: true, problems: [] };
}

/** The log must begin with its genesis entry; an empty log or one whose start is gone is never "intact". */
function checkStart(rows: AuditRow[]): AuditProblem[] {
  const first = rows[0];
  if (!first) {
    return [{ seq: null, kind: 'empty', message: 'The audit log is empty: every entry was deleted, including the one written when the vault was created.' }];
  }
  if (first.seq === 1 && first.action !== GENESIS_ACTION) {
    return [{ seq: 1, kind: 'truncated', message: 'The audit log does not begin with the entry written when the vault was created: it was emptied and restarted.' }];
  }
  return []; // a first entry other than 1 is reported by checkChain as missing entries
}

/**
 * Without a checkpoint, entries cut off the end leave a chain that still verifies. What can still show it:
 * the catalog keeps rows of audited actions (ingests, proxy exports), and each must have its entry in the
 * log. Rows older than the log's first entry predate these entries and are not counted.
 */
async function checkCatalogAgainstLog(vault: UnlockedVault, rows: AuditRow[]): Promise<AuditProblem[]> {
  const first = rows[0];
  if (!first) return [];
  const logged = new Set<string>();
  for (const row of rows) {
    if (row.action !== 'ingest.start' && row.action !== 'export.proxies') continue;
    try {
      const details = JSON.parse(row.details_json) as AuditDetails;
      const id = row.action === 'ingest.start' ? details['ingest'] : details['export'];
      if (typeof id === 'string') logged.add(`${row.action}:${id}`);
    } catch {
      // an unreadable entry is reported by checkEntry
    }
  }
  const catalog = await vault.catalog();
  const facts = [
    ...(await catalog.all<{ id: string; at: string }>('SELECT id, started_at AS at FROM ingests WHERE started_at >= ?', [first.at])).map((r) => ({ key: `ingest.start:${r.id}`, what: `the offload of ${r.at}` })),
    ...(await catalog.all<{ id: string; at: string }>('SELECT id, created_at AS at FROM exports WHERE created_at >= ?', [first.at])).map((r) => ({ key: `export.proxies:${r.id}`, what: `the proxy export of ${r.at}` })),
  ];
  const unlogged = facts.filter((fact) => !logged.has(fact.key));
  if (unlogged.length === 0) return [];
  const names = unlogged.slice(0, 3).map((fact) => fact.what).join(', ');
  return [{
    seq: null,
    kind: 'truncated',
    message: `The catalog records ${unlogged.length} audited action${unlogged.length === 1 ? '' : 's'} (${names}${unlogged.length > 3 ? ', …' : ''}) that the log has no entry for: entries were cut off or removed.`,
  }];
}

/** Reads only: verifying appends nothing to the log it checks (the caller's own unlock aside). */
export async function verifyAudit(vault: UnlockedVault, options: { checkpoint?: AuditCheckpoint } = {}): Promise<AuditVerification> {
  const sodium = await loadSodium();
  const rows = await readAuditRows(vault);
  const problems = [...checkStart(rows), ...checkChain(sodium, vault, rows), ...(await checkCatalogAgainstLog(vault, rows))];
  let checkpoint: AuditVerification['checkpoint'] = null;
  if (options.checkpoint) {
    const result = checkCheckpoint(sodium, vault, rows, options.checkpoint);
    problems.push(...result.problems);
    checkpoint = { seq: options.checkpoint.seq, matched: result.matched };
  }
  const last = rows[rows.length - 1];
  return { intact: problems.length === 0, entries: rows.length, head: last ? { seq: last.seq, hash: last.hash } : null, checkpoint, problems };
}

/** Records the export in the log first, so the checkpoint covers its own creation. */
export async function createCheckpoint(vault: UnlockedVault): Promise<AuditCheckpoint> {
  const sodium = await loadSodium();
  const entry = await appendAudit(vault, 'audit.checkpoint', {});
  const body = { vaultId: vault.info.id, seq: entry.seq, head: entry.hash, createdAt: new Date().toISOString() };
  return {
    format: 'safehouse-audit-checkpoint',
    version: 1,
    ...body,
    publicKey: b64(sodium, vault.signingPublicKey),
    signature: b64(sodium, vault.sign(checkpointMessage(body))),
  };
}

export async function exportCheckpoint(vault: UnlockedVault, out: string): Promise<AuditCheckpoint> {
  const checkpoint = await createCheckpoint(vault);
  await fs.writeFile(out, `${JSON.stringify(checkpoint, null, 2)}\n`, { mode: 0o600 });
  return checkpoint;
}

export async function readCheckpointFile(file: string): Promise<AuditCheckpoint> {
  let parsed: Partial<AuditCheckpoint>;
  try {
    parsed = JSON.parse(await fs.readFile(file, 'utf8')) as Partial<AuditCheckpoint>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new SafehouseError('NOT_FOUND', `No checkpoint file at ${file}.`);
    throw new SafehouseError('INVALID_INPUT', 'The checkpoint file is not valid JSON.');
  }
  const ok =
    parsed.format === 'safehouse-audit-checkpoint' && parsed.version === 1 && typeof parsed.vaultId === 'string' && Number.isSafeInteger(parsed.seq) &&
    typeof parsed.head === 'string' && typeof parsed.createdAt === 'string' && typeof parsed.publicKey === 'string' && typeof parsed.signature === 'string';
  if (!ok) throw new SafehouseError('INVALID_INPUT', 'This file is not a Safehouse audit checkpoint.');
  return parsed as AuditCheckpoint;
}
