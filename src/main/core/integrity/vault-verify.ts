import { SafehouseError } from '../../../shared/errors';
import type { DamagedObject, ObjectProblemKind, VaultVerification, VerifyProgress } from '../../../shared/model';
import { appendAudit } from '../audit/audit-log';
import type { Catalog } from '../catalog';
import type { SourceHashes } from '../ingest/clip-records';
import { hashFile } from '../ingest/hashing';
import { acquireIngestLock } from '../ingest/ingest-lock';
import type { KeyClass, UnlockedVault } from '../vault/vault';
import { recordVerification } from './object-damage';
import { objectOwners } from './object-owners';
import { whatWasLost } from './lost-with-damage';

/**
 * `safehouse verify`: is what the catalog says is in the vault really there, and unaltered?
 *
 * Every recorded object: its file exists, its header parses, names this object and the recorded class, and
 * its length gives the recorded size; where this vault holds the class key, the sealed file key opens and
 * the header MAC checks out. With `deep`, every content frame is decrypted and authenticated (on the crypto
 * worker; no plaintext comes back) and compared with the hash recorded when it was written, where one was
 * (masters). A field vault cannot open masters or identities: it checks their structure and size, and with
 * `deep` a master's sealed file against the digest taken right after it was written, and says so.
 * Both ways: object files no row records are listed too. What is found is recorded (object_damage) for the
 * safe-to-wipe verdict, and the run itself is audited.
 */

const problemMessages: Record<ObjectProblemKind, string> = {
  missing: 'The catalog records this object but its file is gone from the vault folder.',
  'header-damaged': 'Its header is damaged or was altered, so it cannot be opened.',
  'wrong-class': 'Its header names another kind of key than the catalog records: it was swapped or altered.',
  'size-mismatch': 'Its length does not match the size recorded when it was written: it was cut short, extended or replaced.',
  'content-damaged': 'Part of its content fails authentication (damaged, cut or altered); nothing from it can be trusted.',
  'hash-mismatch': 'It does not hold what was written: its hash differs from the one recorded when it was stored.',
};

const notOpenedAs: Record<KeyClass, string> = {
  master: 'structure and size; with --deep, each sealed file against its digest from the offload',
  proxy: 'structure and size',
  identity: 'structure and size',
};

interface RecordedObject {
  id: string;
  class: KeyClass;
  plain_size: number;
}

export interface VerifyOptions {
  deep: boolean;
  onProgress?: (progress: VerifyProgress) => void;
}

export async function verifyVault(vault: UnlockedVault, options: VerifyOptions): Promise<VaultVerification> {
  // No other process may be writing meanwhile: an object between its rename and its catalog row would
  // look unrecorded.
  const release = await acquireIngestLock(vault.info.dir);
  try {
    return await runVerification(vault, options);
  } finally {
    await release();
  }
}

async function runVerification(vault: UnlockedVault, { deep, onProgress }: VerifyOptions): Promise<VaultVerification> {
  const catalog = await vault.catalog();
  const checkedAt = new Date().toISOString();
  const recorded = await catalog.all<RecordedObject>('SELECT id, class, plain_size FROM objects ORDER BY id');
  const onDisk = new Set(await vault.listObjectIds());
  const owners = await objectOwners(catalog);
  const masterHashes = await loadMasterHashes(vault, catalog);
  const damaged: DamagedObject[] = [];
  const sound: string[] = [];
  const notOpened = new Map<KeyClass, number>();
  const counts = { headersChecked: 0, contentChecked: 0 };
  const step = Math.max(1, Math.floor(recorded.length / 100));

  for (const [index, object] of recorded.entries()) {
    if (index % step === 0) onProgress?.({ phase: deep ? 'content' : 'headers', done: index, total: recorded.length });
    vault.touch(); // a long verification is activity: the vault must not lock itself half-way
    const problem = onDisk.has(object.id) ? await checkObject(vault, object, deep, masterHashes.get(object.id), counts, notOpened) : 'missing';
    if (problem === null) sound.push(object.id);
    else damaged.push({ objectId: object.id, keyClass: object.class, problem, message: problemMessages[problem], owners: owners.get(object.id) ?? [] });
  }
  onProgress?.({ phase: deep ? 'content' : 'headers', done: recorded.length, total: recorded.length });

  const recordedIds = new Set(recorded.map((object) => object.id));
  const unrecorded = [...onDisk].filter((id) => !recordedIds.has(id)).sort();
  await recordVerification(catalog, { deep, sound, damaged: damaged.map(({ objectId, problem }) => ({ objectId, problem })), at: checkedAt });
  const lost = await whatWasLost(vault, catalog, damaged);
  await appendAudit(vault, 'vault.verify', { deep, objects: recorded.length, damaged: damaged.length, unrecorded: unrecorded.length });
  return {
    intact: damaged.length === 0,
    deep,
    checkedAt,
    objects: { recorded: recorded.length, onDisk: onDisk.size, ...counts },
    // In the order of the key classes, whatever order the objects came in.
    notOpened: (Object.keys(notOpenedAs) as KeyClass[]).filter((keyClass) => notOpened.has(keyClass)).map((keyClass) => ({ keyClass, count: notOpened.get(keyClass)!, checkedAs: notOpenedAs[keyClass] })),
    damaged,
    unrecorded,
    lost,
  };
}

/** One object: null when it checks out as far as this vault and `deep` can look, else what is wrong. */
async function checkObject(
  vault: UnlockedVault,
  object: RecordedObject,
  deep: boolean,
  hashes: SourceHashes | undefined,
  counts: { headersChecked: number; contentChecked: number },
  notOpened: Map<KeyClass, number>,
): Promise<ObjectProblemKind | null> {
  let head: Awaited<ReturnType<UnlockedVault['inspectObject']>>;
  try {
    head = await vault.inspectObject(object.id);
  } catch (error) {
    return problemOf(error, 'header-damaged');
  }
  counts.headersChecked += 1;
  if (head.cls !== object.class) return 'wrong-class';
  if (head.plainSize !== object.plain_size) return 'size-mismatch';
  if (!head.authenticated) {
    notOpened.set(head.cls, (notOpened.get(head.cls) ?? 0) + 1);
    if (!deep || !hashes?.sealedFileBlake2b256) return null;
    // A field vault's master: the sealed file must be byte for byte what was written and read back at ingest.
    const digest = await hashFile(vault.objectFile(object.id)).catch(() => null);
    counts.contentChecked += 1;
    return digest?.blake2b256 === hashes.sealedFileBlake2b256 ? null : 'hash-mismatch';
  }
  if (!deep) return null;
  let xxh64: string;
  try {
    xxh64 = await vault.digestObject(object.id);
  } catch (error) {
    return problemOf(error, 'content-damaged');
  }
  counts.contentChecked += 1;
  return hashes?.storedXxh64 !== undefined && hashes.storedXxh64 !== xxh64 ? 'hash-mismatch' : null;
}

/** Damage and disappearance are findings; anything else (a disk error, a locked vault) is a failure of the run. */
function problemOf(error: unknown, integrityProblem: ObjectProblemKind): ObjectProblemKind {
  if (error instanceof SafehouseError && error.code === 'INTEGRITY') return integrityProblem;
  if (error instanceof SafehouseError && error.code === 'OBJECT_NOT_FOUND') return 'missing';
  throw error;
}

/** What was recorded about each stored master (or quarantined original) when it was written. */
async function loadMasterHashes(vault: UnlockedVault, catalog: Catalog): Promise<Map<string, SourceHashes>> {
  const rows = await catalog.all<{ master_object_id: string; hashes_sealed: Uint8Array }>(
    'SELECT master_object_id, hashes_sealed FROM clips WHERE master_object_id IS NOT NULL AND hashes_sealed IS NOT NULL',
  );
  const hashes = new Map<string, SourceHashes>();
  for (const row of rows) {
    try {
      hashes.set(row.master_object_id, JSON.parse(vault.openText(row.hashes_sealed)) as SourceHashes);
    } catch {
      // An unreadable record leaves the object checked by its own authentication only.
    }
  }
  return hashes;
}
