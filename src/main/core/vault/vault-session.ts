import path from 'node:path';
import { SafehouseError } from '../../../shared/errors';
import { openCatalog, type Catalog } from '../catalog/catalog';
import { IdleLock } from './idle-lock';
import { SALT_BYTES, assertStrongPassphrase, deriveKek } from './kdf';
import { KEY_CLASSES, b64, wrapSecret, type ClassKeyPair, type KeyClass } from './keys';
import { integrity, openBytes, peekClass, plainSizeFromContentBytes, sealBytes } from './object-format';
import { ObjectStore, type ObjectWriter, type WrittenObject } from './object-store';
import { keyFingerprint, makeRecipientCard, publicKeyFromCard, readRecipientCard, type RecipientCard } from './recipients';
import { sodiumSync } from './sodium';
import { unwrapAll, type Secrets } from './secrets';
import { signVaultHeader, writeVaultHeader } from './vault-file';
import type { UnsignedVaultHeader, VaultHeader } from './vault-header';

export { unwrapAll } from './secrets';

/**
 * An unlocked vault: the secrets in memory, the object store, the catalog, idle lock. Created only by
 * createVault / unlockVault (vault.ts). Every method refuses with VAULT_LOCKED after lock().
 */

export type VaultKind = 'normal' | 'field';

export interface VaultInfo {
  id: string;
  kind: VaultKind;
  dir: string;
  canOpen: Record<KeyClass, boolean>;
  recipients: Record<KeyClass, { fingerprint: string; label: string }[]>;
}

export interface UnlockedVault {
  readonly info: VaultInfo;
  isLocked(): boolean;
  /** Wipes every secret (sodium.memzero); later calls throw VAULT_LOCKED. */
  lock(): void;
  touch(): void;
  setAutoLock(ms: number | null, onLock?: () => void): void;
  changePassphrase(oldPass: string, newPass: string): Promise<void>;
  createObjectWriter(cls: KeyClass, meta?: Record<string, unknown>): Promise<ObjectWriter>;
  writeObject(cls: KeyClass, data: Uint8Array | AsyncIterable<Uint8Array>, meta?: Record<string, unknown>): Promise<WrittenObject>;
  /** All-or-nothing: every frame, TAG_FINAL and the absence of trailing bytes are verified before returning. */
  readObject(id: string): Promise<{ meta: Record<string, unknown>; data: Buffer }>;
  /**
   * Constant-memory read. Each yielded chunk is authenticated, but the object as a whole is only proven
   * complete when the generator finishes: it throws INTEGRITY at the end if TAG_FINAL is missing or bytes
   * follow it. Consumers MUST discard everything they wrote from this stream if it throws.
   * `borrow`: each chunk is valid only until the next one is asked for (see ObjectStore.open): for a
   * consumer that finishes with a chunk first, e.g. `await` of a write's callback, not a stream's drain.
   */
  streamObject(id: string, options?: { borrow?: boolean }): AsyncGenerator<Buffer>;
  /**
   * xxh64 (16 hex digits) of an object's plaintext, every frame authenticated and TAG_FINAL checked as in
   * readObject, decrypted and checksummed off the main thread; for verification. Throws INTEGRITY on damage.
   */
  digestObject(id: string): Promise<string>;
  /** Where an object's (encrypted) file is, for checks of the file itself; throws OBJECT_NOT_FOUND on a bad id. */
  objectFile(id: string): string;
  /** plainSize is derived from the file length (not authenticated until the object is read). */
  objectMeta(id: string): Promise<{ cls: KeyClass; meta: Record<string, unknown>; plainSize?: number }>;
  /** Vault verification: the object's structure, and its header MAC where this vault holds the class key. */
  inspectObject(id: string): Promise<{ cls: KeyClass; plainSize: number | undefined; authenticated: boolean }>;
  deleteObject(id: string): Promise<void>;
  listObjectIds(): Promise<string[]>;
  discardStaging(): Promise<number>;
  /** Small in-memory value in the object format (random id, empty metadata) for catalog fields. */
  sealValue(cls: KeyClass, plaintext: Uint8Array | string): Uint8Array;
  openValue(blob: Uint8Array): Buffer;
  openText(blob: Uint8Array): string;
  sign(message: Uint8Array): Uint8Array;
  readonly signingPublicKey: Uint8Array;
  addRecipient(cls: KeyClass, card: RecipientCard, label: string): Promise<void>;
  exportRecipientCard(classes?: KeyClass[]): RecipientCard;
  catalog(): Promise<Catalog>;
}

/** Test hook: the live secret buffers, so a test can prove lock() zeroed them. Not exported from index. */
const secretRegistry = new WeakMap<UnlockedVault, Uint8Array[]>();
export function secretBuffersForTest(vault: UnlockedVault): Uint8Array[] {
  return secretRegistry.get(vault) ?? [];
}

export class VaultSession implements UnlockedVault {
  private locked = false;
  private readonly store: ObjectStore;
  private readonly idle: IdleLock;
  private catalogPromise: Promise<Catalog> | null = null;
  private headerWrite: Promise<unknown> = Promise.resolve();
  private cachedInfo: VaultInfo;

  constructor(readonly dir: string, private header: VaultHeader, private readonly secrets: Secrets) {
    this.store = new ObjectStore(dir, () => this.guard());
    this.idle = new IdleLock(() => this.lock());
    secretRegistry.set(this, this.secretBuffers());
    this.cachedInfo = this.computeInfo();
  }

  private secretBuffers(): Uint8Array[] {
    const list = [this.secrets.signing.seed, this.secrets.signing.privateKey];
    for (const pair of Object.values(this.secrets.classes)) list.push(pair.privateKey);
    return list;
  }

  /** Every operation passes here: refuses when locked and counts as activity for the idle timer. */
  private guard(): void {
    if (this.locked) throw new SafehouseError('VAULT_LOCKED');
    this.idle.touch();
  }

  private keyPairFor(cls: KeyClass): ClassKeyPair {
    this.guard();
    const pair = this.secrets.classes[cls];
    if (!pair) throw new SafehouseError('KEY_CLASS_UNAVAILABLE');
    return pair;
  }

  private recipientsFor(cls: KeyClass): Uint8Array[] {
    return [this.header.keys[cls].publicKey, ...this.header.recipients[cls].map((r) => r.publicKey)].map((k) => b64.decode(k, 32));
  }

  private computeInfo(): VaultInfo {
    const own = (cls: KeyClass) => (this.header.kind === 'field' && cls !== 'proxy' ? 'HQ' : 'this vault');
    const recipients = {} as VaultInfo['recipients'];
    const canOpen = {} as VaultInfo['canOpen'];
    for (const cls of KEY_CLASSES) {
      canOpen[cls] = this.secrets.classes[cls] !== undefined;
      recipients[cls] = [
        { fingerprint: keyFingerprint(this.header.keys[cls].publicKey), label: own(cls) },
        ...this.header.recipients[cls].map((r) => ({ fingerprint: keyFingerprint(r.publicKey), label: this.openLabel(r.label) })),
      ];
    }
    return { id: this.header.id, kind: this.header.kind, dir: this.dir, canOpen, recipients };
  }

  private openLabel(sealed: string): string {
    try {
      return this.openText(b64.decode(sealed));
    } catch {
      return '(unreadable label)';
    }
  }

  get info(): VaultInfo {
    return this.cachedInfo;
  }

  isLocked(): boolean {
    return this.locked;
  }

  lock(): void {
    if (this.locked) return;
    this.locked = true;
    this.idle.clear();
    const sodium = sodiumSync();
    for (const buffer of this.secretBuffers()) sodium.memzero(buffer);
    const catalog = this.catalogPromise;
    this.catalogPromise = null;
    void catalog?.then((c) => c.close()).catch(() => undefined);
  }

  touch(): void {
    if (!this.locked) this.idle.touch();
  }

  setAutoLock(ms: number | null, onLock?: () => void): void {
    this.guard();
    this.idle.configure(ms, onLock);
  }

  /** Serialises read-modify-write of vault.json. */
  private updateHeader(fn: (h: VaultHeader) => Promise<UnsignedVaultHeader> | UnsignedVaultHeader): Promise<void> {
    const next = this.headerWrite.then(async () => {
      this.guard();
      const header = signVaultHeader(await fn(this.header), this.secrets.signing);
      await writeVaultHeader(this.dir, header);
      this.header = header;
      this.cachedInfo = this.computeInfo();
    });
    this.headerWrite = next.catch(() => undefined);
    return next;
  }

  async changePassphrase(oldPass: string, newPass: string): Promise<void> {
    this.guard();
    assertStrongPassphrase(newPass);
    await this.updateHeader(async (h) => {
      const check = await unwrapAll(h, oldPass); // WRONG_PASSPHRASE before anything is written
      const stale = [check.signing.seed, check.signing.privateKey, ...Object.values(check.classes).map((p) => p.privateKey)];
      for (const buffer of stale) sodiumSync().memzero(buffer);
      const salt = sodiumSync().randombytes_buf(SALT_BYTES);
      const kek = await deriveKek(newPass, salt, h.kdf);
      try {
        const keys = structuredClone(h.keys);
        for (const cls of KEY_CLASSES) {
          const pair = this.secrets.classes[cls];
          if (pair) keys[cls].wrapped = b64.encode(wrapSecret(kek, h.id, cls, pair.privateKey));
        }
        const { sig: _sig, ...rest } = h;
        return {
          ...rest,
          kdf: { ...h.kdf, salt: b64.encode(salt) },
          keys,
          signing: { ...h.signing, wrapped: b64.encode(wrapSecret(kek, h.id, 'signing', this.secrets.signing.seed)) },
        };
      } finally {
        sodiumSync().memzero(kek);
      }
    });
  }

  async createObjectWriter(cls: KeyClass, meta: Record<string, unknown> = {}): Promise<ObjectWriter> {
    this.guard();
    return this.store.createWriter(cls, this.recipientsFor(cls), meta);
  }

  async writeObject(cls: KeyClass, data: Uint8Array | AsyncIterable<Uint8Array>, meta: Record<string, unknown> = {}): Promise<WrittenObject> {
    const writer = await this.createObjectWriter(cls, meta);
    try {
      if (data instanceof Uint8Array) await writer.write(data);
      else for await (const chunk of data) await writer.write(chunk);
      return await writer.commit();
    } catch (error) {
      await writer.abort();
      throw error;
    }
  }

  async readObject(id: string): Promise<{ meta: Record<string, unknown>; data: Buffer }> {
    const opened = await this.store.open(id, (cls) => this.keyPairFor(cls));
    const pieces: Uint8Array[] = [];
    try {
      for await (const chunk of opened.chunks) pieces.push(chunk);
      return { meta: opened.meta, data: Buffer.concat(pieces) };
    } finally {
      // On success the caller has its own copy; on failure nothing of this object leaves here.
      for (const piece of pieces) sodiumSync().memzero(piece);
      await opened.close();
    }
  }

  async *streamObject(id: string, options: { borrow?: boolean } = {}): AsyncGenerator<Buffer> {
    const opened = await this.store.open(id, (cls) => this.keyPairFor(cls), options);
    try {
      for await (const chunk of opened.chunks) yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    } finally {
      await opened.close();
    }
  }

  digestObject(id: string): Promise<string> {
    return this.store.digestContent(id, (cls) => this.keyPairFor(cls));
  }

  objectFile(id: string): string {
    return this.store.pathFor(id);
  }

  async objectMeta(id: string): Promise<{ cls: KeyClass; meta: Record<string, unknown>; plainSize?: number }> {
    const opened = await this.store.open(id, (cls) => this.keyPairFor(cls));
    await opened.close();
    const plainSize = plainSizeFromContentBytes(opened.contentBytes);
    return plainSize === undefined ? { cls: opened.header.cls, meta: opened.meta } : { cls: opened.header.cls, meta: opened.meta, plainSize };
  }

  /**
   * Checks an object's head for vault verification: its structure always, and where this vault holds the
   * class key also the sealed file key, the header MAC and the metadata frame (no content is decrypted).
   * `plainSize` is what the file's length implies; undefined when the length cannot be a valid object.
   */
  async inspectObject(id: string): Promise<{ cls: KeyClass; plainSize: number | undefined; authenticated: boolean }> {
    this.guard();
    const head = await this.store.inspect(id);
    const plainSize = plainSizeFromContentBytes(head.contentBytes);
    if (!this.secrets.classes[head.header.cls]) return { cls: head.header.cls, plainSize, authenticated: false };
    await this.objectMeta(id);
    return { cls: head.header.cls, plainSize, authenticated: true };
  }

  async deleteObject(id: string): Promise<void> {
    this.guard();
    await this.store.delete(id);
  }

  async listObjectIds(): Promise<string[]> {
    this.guard();
    return this.store.list();
  }

  async discardStaging(): Promise<number> {
    this.guard();
    return this.store.discardStaging();
  }

  sealValue(cls: KeyClass, plaintext: Uint8Array | string): Uint8Array {
    this.guard();
    const bytes = typeof plaintext === 'string' ? new TextEncoder().encode(plaintext) : plaintext;
    try {
      return sealBytes(cls, this.recipientsFor(cls), bytes);
    } finally {
      if (typeof plaintext === 'string') sodiumSync().memzero(bytes);
    }
  }

  openValue(blob: Uint8Array): Buffer {
    this.guard();
    try {
      this.keyPairFor(peekClass(blob)); // KEY_CLASS_UNAVAILABLE before any crypto
      return openBytes(blob, (cls) => this.keyPairFor(cls)).data;
    } catch (error) {
      if (error instanceof SafehouseError) throw error;
      throw integrity(String(error));
    }
  }

  openText(blob: Uint8Array): string {
    const data = this.openValue(blob);
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(data);
    } catch {
      throw integrity('sealed value is not UTF-8 text');
    } finally {
      data.fill(0);
    }
  }

  sign(message: Uint8Array): Uint8Array {
    this.guard();
    return sodiumSync().crypto_sign_detached(message, this.secrets.signing.privateKey);
  }

  get signingPublicKey(): Uint8Array {
    return b64.decode(this.header.signing.publicKey, 32);
  }

  async addRecipient(cls: KeyClass, card: RecipientCard, label: string): Promise<void> {
    this.guard();
    const checked = readRecipientCard(JSON.stringify(card));
    const publicKey = b64.encode(publicKeyFromCard(checked, cls));
    await this.updateHeader((h) => {
      const { sig: _sig, ...rest } = h;
      const known = [h.keys[cls].publicKey, ...h.recipients[cls].map((r) => r.publicKey)];
      if (known.includes(publicKey)) return rest;
      const sealedLabel = b64.encode(this.sealValue('proxy', label));
      return { ...rest, recipients: { ...h.recipients, [cls]: [...h.recipients[cls], { publicKey, label: sealedLabel }] } };
    });
  }

  exportRecipientCard(classes: KeyClass[] = [...KEY_CLASSES]): RecipientCard {
    this.guard();
    const keys: Partial<Record<KeyClass, string>> = {};
    for (const cls of classes) keys[cls] = this.header.keys[cls].publicKey;
    return makeRecipientCard(keys, this.header.signing.publicKey);
  }

  async catalog(): Promise<Catalog> {
    this.guard();
    this.catalogPromise ??= openCatalog(path.join(this.dir, 'catalog.db'));
    const current = this.catalogPromise;
    current.catch(() => {
      if (this.catalogPromise === current) this.catalogPromise = null;
    });
    return current;
  }
}
