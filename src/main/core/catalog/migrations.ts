/**
 * Numbered catalog migrations. Each runs once, in order, inside a transaction, and bumps
 * PRAGMA user_version to its number. Never edit a shipped migration: add a new one.
 *
 * What may be stored in clear: random ids, neutral codes ("C0001"), enums, sizes, durations, timestamps,
 * stream descriptions of the sanitized output, and hashes. Anything a person typed or that identifies a
 * person, place, card or device (labels, original names and paths, serials) goes into a *_sealed BLOB
 * produced by UnlockedVault.sealValue (proxy class for operational text, identity for identities).
 */

export interface Migration {
  version: number;
  name: string;
  up: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'cards, clips, objects',
    up: `
      CREATE TABLE cards (
        id TEXT PRIMARY KEY,
        label_sealed BLOB,
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE TABLE objects (
        id TEXT PRIMARY KEY,
        class TEXT NOT NULL CHECK (class IN ('master', 'proxy', 'identity')),
        plain_size INTEGER NOT NULL CHECK (plain_size >= 0),
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE TABLE clips (
        id TEXT PRIMARY KEY,
        card_id TEXT NOT NULL REFERENCES cards(id),
        code TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('video', 'audio', 'still')),
        status TEXT NOT NULL,
        reason TEXT,
        master_object_id TEXT REFERENCES objects(id),
        report_object_id TEXT REFERENCES objects(id),
        source_blake2b TEXT,
        source_xxh64 TEXT,
        original_name_sealed BLOB,
        size INTEGER,
        duration REAL,
        streams_json TEXT,
        created_at TEXT NOT NULL,
        verified_at TEXT
      ) STRICT;
    `,
  },
  {
    version: 2,
    name: 'clip lookup indexes',
    up: `
      CREATE INDEX clips_by_card ON clips(card_id);
      CREATE INDEX clips_by_status ON clips(status);
    `,
  },
  {
    version: 3,
    name: 'offload: keyed lookups, sealed hashes, settings, ingests',
    // Source hashes in clear would let whoever holds both the seized card and the seized laptop prove the
    // footage is in the vault; they move into a sealed blob. Lookups ("ingested before?") use BLAKE2b keyed
    // with a random per-vault secret kept sealed in settings, which proves nothing without the passphrase.
    up: `
      ALTER TABLE clips DROP COLUMN source_blake2b;
      ALTER TABLE clips DROP COLUMN source_xxh64;
      ALTER TABLE clips ADD COLUMN file_fingerprint TEXT;
      ALTER TABLE clips ADD COLUMN content_key TEXT;
      ALTER TABLE clips ADD COLUMN hashes_sealed BLOB;
      ALTER TABLE clips ADD COLUMN summary_sealed BLOB;
      ALTER TABLE cards ADD COLUMN fingerprint TEXT;
      CREATE UNIQUE INDEX cards_by_fingerprint ON cards(fingerprint);
      CREATE INDEX clips_by_fingerprint ON clips(file_fingerprint);
      CREATE INDEX clips_by_content ON clips(content_key);
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value_sealed BLOB NOT NULL
      ) STRICT;
      CREATE TABLE ingests (
        id TEXT PRIMARY KEY,
        card_id TEXT NOT NULL REFERENCES cards(id),
        started_at TEXT NOT NULL,
        finished_at TEXT,
        report_object_id TEXT REFERENCES objects(id),
        counts_json TEXT
      ) STRICT;
    `,
  },
];

export const LATEST_SCHEMA_VERSION = migrations[migrations.length - 1]?.version ?? 0;
