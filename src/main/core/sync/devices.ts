import { SafehouseError } from '../../../shared/errors';
import type { DeviceStatus } from '../../../shared/model';
import { canonicalEntry, entryHash, entrySignedMessage, genesisHash as auditGenesis, type AuditDetails } from '../audit/audit-log';
import { fingerprintWords, readRecipientCard } from '../vault/recipients';
import { loadSodium } from '../vault/sodium';
import type { UnlockedVault } from '../vault/vault';
import type { Carrier } from './carrier';
import { deviceIdFor, parseRecordKey } from './layout';
import { ownDeviceId, readLastPush, readOutbox } from './field-records';

/**
 * Field devices known to HQ. Enrolling pins the device's Ed25519 signing key from its recipient card (the
 * card `recipients export` writes in the field; its fingerprint is compared aloud, like HQ's own card):
 * from then on only records signed by that key are accepted under that device's name.
 */

export interface DeviceRow {
  id: string;
  signing_key: string;
  fingerprint: string;
  vault_id: string | null;
  enrolled_at: string;
  last_seq: number;
  last_hash: string | null;
  last_push_at: string | null;
  last_pull_at: string | null;
}

export function requireHq(vault: UnlockedVault): void {
  if (!vault.info.canOpen.master || vault.info.kind === 'field') {
    throw new SafehouseError('KEY_CLASS_UNAVAILABLE', 'Enrolling devices and pulling their footage happens at HQ, in the vault that holds the master key. This is a field vault.');
  }
}

/** A device's name at HQ ("Camera B laptop"), typed when it is enrolled: sealed like identities, kept in settings. */
const nameSetting = (id: string): string => `device-name:${id}`;

async function writeDeviceName(vault: UnlockedVault, id: string, name: string): Promise<void> {
  const sealed = vault.sealValue('identity', Buffer.from(name, 'utf8'));
  await (await vault.catalog()).run('INSERT INTO settings (key, value_sealed) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value_sealed = excluded.value_sealed', [nameSetting(id), Buffer.from(sealed)]);
}

async function readDeviceName(vault: UnlockedVault, id: string): Promise<string | null> {
  const row = await (await vault.catalog()).get<{ value_sealed: Uint8Array }>('SELECT value_sealed FROM settings WHERE key = ?', [nameSetting(id)]);
  return row ? vault.openText(row.value_sealed) : null;
}

/** Enrolls (or, given a name, renames) a field device from its card; enrolling twice changes nothing else. */
export async function enrollDevice(vault: UnlockedVault, cardJson: string, name?: string): Promise<{ id: string; fingerprintWords: string; alreadyEnrolled: boolean }> {
  requireHq(vault);
  await loadSodium();
  const card = readRecipientCard(cardJson);
  if (!card.signing) throw new SafehouseError('RECIPIENT_CARD_INVALID', 'This card carries no device signing key. Export the field vault’s card again with `safehouse recipients export` and enroll that file.');
  if (card.signing === Buffer.from(vault.signingPublicKey).toString('base64')) {
    throw new SafehouseError('INVALID_INPUT', 'This is HQ’s own card. Enroll the card exported from the field vault.');
  }
  const id = deviceIdFor(card.signing);
  const catalog = await vault.catalog();
  const existing = await catalog.get<DeviceRow>('SELECT * FROM sync_devices WHERE id = ?', [id]);
  const words = fingerprintWords(card);
  if (!existing) {
    await catalog.run('INSERT INTO sync_devices (id, signing_key, fingerprint, enrolled_at) VALUES (?, ?, ?, ?)', [id, card.signing, card.fingerprint, new Date().toISOString()]);
  }
  if (name !== undefined) await writeDeviceName(vault, id, name);
  return { id, fingerprintWords: words, alreadyEnrolled: Boolean(existing) };
}

/** Re-checks a device's stored audit entries: chain from its genesis, and each signed by its key. */
export async function verifyDeviceAudit(vault: UnlockedVault, device: DeviceRow): Promise<{ entries: number; intact: boolean }> {
  const sodium = await loadSodium();
  const catalog = await vault.catalog();
  const rows = await catalog.all<{ seq: number; at: string; action: string; details_json: string; prev_hash: string; hash: string; sig: string }>(
    'SELECT * FROM device_audit WHERE device_id = ? ORDER BY seq',
    [device.id],
  );
  if (rows.length === 0) return { entries: 0, intact: true };
  if (!device.vault_id) return { entries: rows.length, intact: false };
  const key = Buffer.from(device.signing_key, 'base64');
  let prev = auditGenesis(sodium, device.vault_id);
  let intact = true;
  rows.forEach((row, index) => {
    const hash = entryHash(sodium, row.prev_hash, canonicalEntry({ seq: row.seq, at: row.at, action: row.action, details: JSON.parse(row.details_json) as AuditDetails }));
    const signed = sodium.crypto_sign_verify_detached(Buffer.from(row.sig, 'base64'), entrySignedMessage(device.vault_id!, row.hash), key);
    if (row.seq !== index + 1 || row.prev_hash !== prev || hash !== row.hash || !signed) intact = false;
    prev = row.hash;
  });
  return { entries: rows.length, intact };
}

async function pendingOnRemote(carrier: Carrier, device: string, after: number): Promise<{ records: number; bytes: number }> {
  const listed = (await carrier.list(`records/${device}/`)).filter((item) => (parseRecordKey(item.key)?.seq ?? 0) > after);
  return { records: listed.length, bytes: listed.reduce((sum, item) => sum + item.size, 0) };
}

/**
 * At HQ: every enrolled device with its last push (the newest record pulled), last pull, records imported,
 * audit state, and — given a remote — how many of its records wait there. In a field vault: this device,
 * its last record and what of its outbox the remote does not hold yet.
 */
export async function listDevices(vault: UnlockedVault, carrier?: Carrier): Promise<DeviceStatus[]> {
  await loadSodium();
  if (vault.info.kind === 'field') {
    const id = ownDeviceId(vault);
    const outbox = await readOutbox(vault);
    let pending: DeviceStatus['pending'] = null;
    if (carrier) {
      const held = new Set((await carrier.list(`records/${id}/`)).map((item) => parseRecordKey(item.key)?.seq));
      const missing = outbox.filter((record) => !held.has(record.seq));
      pending = { records: missing.length, bytes: missing.reduce((sum, record) => sum + record.objects.reduce((s, o) => s + o.size, 0), 0) };
    }
    // Clips in no record yet (offloaded since the last push): the next push makes a record of them.
    const unsent = await (await vault.catalog()).get<{ clips: number; bytes: number | null }>(
      "SELECT COUNT(*) AS clips, SUM(size) AS bytes FROM clips WHERE verified_at IS NOT NULL AND status IN ('verified', 'quarantined') AND id NOT IN (SELECT row_id FROM sync_sent WHERE tbl = 'clips')",
    );
    const notInRecord = { clips: unsent?.clips ?? 0, bytes: unsent?.bytes ?? 0 };
    return [{ id, name: null, self: true, fingerprintWords: null, enrolledAt: null, lastPushAt: await readLastPush(vault), lastPullAt: null, records: outbox.length, audit: null, pending, notInRecord }];
  }
  const catalog = await vault.catalog();
  const rows = await catalog.all<DeviceRow>('SELECT * FROM sync_devices ORDER BY enrolled_at, id');
  const out: DeviceStatus[] = [];
  for (const row of rows) {
    out.push({
      id: row.id,
      name: await readDeviceName(vault, row.id),
      self: false,
      fingerprintWords: fingerprintWords({ fingerprint: row.fingerprint }),
      enrolledAt: row.enrolled_at,
      lastPushAt: row.last_push_at,
      lastPullAt: row.last_pull_at,
      records: row.last_seq,
      audit: await verifyDeviceAudit(vault, row),
      pending: carrier ? await pendingOnRemote(carrier, row.id, row.last_seq) : null,
      notInRecord: null,
    });
  }
  return out;
}
