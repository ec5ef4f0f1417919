import type { ClipFailureKind, ClipStatus, QuarantineReason } from '../../../shared/model';
import { SafehouseError } from '../../../shared/errors';
import { setClipFailed, setClipStatus, type SourceHashes } from './clip-records';
import type { ClipIngestContext } from './ingest-clip';
import { hashFile } from './hashing';
import { rereadSourceXxh64 } from './source-read';
import { failureKindOf } from './clip-failures';

export interface VerifyOutcome {
  status: ClipStatus;
  reason: string | null;
  failureKind?: ClipFailureKind;
  quarantineReason?: QuarantineReason;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Step 7: re-read and decrypt the vault object and compare it with what was written; re-read the source
 * and compare with the first read. Only then does the clip count as verified, and only a card whose every
 * clip is verified is safe to wipe. Quarantined clips keep their status once their object checks out.
 */
export async function verifyClip(
  context: Pick<ClipIngestContext, 'vault' | 'catalog' | 'advance' | 'openCardFile'>,
  clipId: string,
  sourcePath: string,
): Promise<VerifyOutcome> {
  const { vault, catalog } = context;
  const row = await catalog.get<{ master_object_id: string | null; hashes_sealed: Uint8Array | null; status: ClipStatus; reason: string | null; size: number; quarantine_reason: QuarantineReason | null }>(
    'SELECT master_object_id, hashes_sealed, status, reason, size, quarantine_reason FROM clips WHERE id = ?',
    [clipId],
  );
  if (!row?.master_object_id || !row.hashes_sealed) throw new SafehouseError('NOT_FOUND', 'The clip to verify has no vault object.');
  const expected = JSON.parse(vault.openText(row.hashes_sealed)) as SourceHashes;
  context.advance(0, 'verify');

  if (vault.info.canOpen.master && expected.storedXxh64 === undefined) {
    return fail('it was recorded by an earlier version of Safehouse; offload the card again', 'verify-mismatch');
  }
  // The vault copy (read and decrypted on a crypto worker) and the card file (read here) at the same time:
  // different disks and different threads.
  const [storedProblem, sourceProblem] = await Promise.all([checkStored(row.master_object_id, expected), checkSource(expected)]);
  if (storedProblem) return fail(storedProblem, 'verify-mismatch');
  if (sourceProblem) return fail(sourceProblem.text, sourceProblem.kind);
  const status: ClipStatus = row.status === 'quarantined' ? 'quarantined' : 'verified';
  await setClipStatus(catalog, clipId, status, row.status === 'quarantined' ? row.reason : null, true);
  if (status === 'quarantined') return { status, reason: row.reason, ...(row.quarantine_reason ? { quarantineReason: row.quarantine_reason } : {}) };
  return { status, reason: null };

  /** Why the vault copy does not check out, or null when it does. */
  async function checkStored(objectId: string, recorded: SourceHashes): Promise<string | null> {
    if (vault.info.canOpen.master) {
      // Decrypted and hashed on the crypto worker: every frame authenticated, TAG_FINAL required, no
      // plaintext back on this thread (vault.digestObject).
      try {
        const storedDigest = await vault.digestObject(objectId);
        return storedDigest === recorded.storedXxh64 ? null : 'the vault copy does not match what was written';
      } catch (error) {
        return `the vault copy could not be read back: ${messageOf(error)}`;
      }
    }
    // A field vault cannot open masters sealed to HQ: the encrypted file is re-read and compared with its
    // digest from right after it was written. HQ checks the content itself on import.
    const sealed = await hashFile(vault.objectFile(objectId)).catch(() => null);
    return sealed && sealed.blake2b256 === recorded.sealedFileBlake2b256 ? null : 'the encrypted vault copy does not match what was written';
  }

  /** Why the card file does not read back as it did the first time, or null when it does. */
  async function checkSource(recorded: SourceHashes): Promise<{ text: string; kind: ClipFailureKind } | null> {
    try {
      const source = await rereadSourceXxh64(sourcePath, (bytes) => context.advance(bytes / 3, 'verify'), context.openCardFile);
      // xxh64 only on this re-read: it guards against read errors, not an adversary (see rereadSourceXxh64).
      return source.xxh64 === recorded.xxh64 ? null : { text: 'the card file changed between the two reads (bad card or reader?); offload it again', kind: 'source-changed' };
    } catch (error) {
      const kind = failureKindOf(error);
      return { text: kind === 'read-error' ? 'the card reported a read error: the card may be damaged' : `the card file could not be read again: ${messageOf(error)}`, kind: kind === 'other' ? 'read-error' : kind };
    }
  }

  async function fail(reason: string, kind: ClipFailureKind): Promise<VerifyOutcome> {
    await setClipFailed(catalog, clipId, `verification failed: ${reason}`, kind);
    return { status: 'failed', reason: `verification failed: ${reason}`, failureKind: kind };
  }
}
