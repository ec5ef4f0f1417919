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
  {
    version: 4,
    name: 'subjects, consent history, appearances, clip reviews, audit log',
    // Pseudonyms and consent text are operational (sealed to proxy); real names, contacts, notes are sealed to
    // identity, so a field vault cannot read them back. Protection and consent states are enums, safe in
    // clear. Consent history and the audit log are append-only: triggers refuse UPDATE and DELETE so no code
    // path (ours or a bug) can rewrite them; tampering with the file directly is what the hash chain catches.
    up: `
      CREATE TABLE subjects (
        id TEXT PRIMARY KEY,
        pseudonym_sealed BLOB NOT NULL,
        identity_sealed BLOB,
        protection_json TEXT NOT NULL DEFAULT '[]',
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE TABLE consents (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        subject_id TEXT NOT NULL REFERENCES subjects(id),
        state TEXT NOT NULL CHECK (state IN ('pending', 'given', 'conditional', 'withdrawn')),
        scope_sealed BLOB,
        recorded_by_sealed BLOB,
        recorded_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX consents_by_subject ON consents(subject_id, seq);
      CREATE TRIGGER consents_append_only_update BEFORE UPDATE ON consents
        BEGIN SELECT RAISE(ABORT, 'consent history is append-only'); END;
      CREATE TRIGGER consents_append_only_delete BEFORE DELETE ON consents
        BEGIN SELECT RAISE(ABORT, 'consent history is append-only'); END;
      CREATE TABLE subject_evidence (
        id TEXT PRIMARY KEY,
        subject_id TEXT NOT NULL REFERENCES subjects(id),
        object_id TEXT NOT NULL REFERENCES objects(id),
        kind TEXT NOT NULL,
        size INTEGER NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE TABLE appearances (
        id TEXT PRIMARY KEY,
        subject_id TEXT NOT NULL REFERENCES subjects(id),
        clip_id TEXT NOT NULL REFERENCES clips(id),
        ranges_json TEXT NOT NULL DEFAULT '[]',
        regions_json TEXT NOT NULL DEFAULT '[]',
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX appearances_by_clip ON appearances(clip_id);
      CREATE INDEX appearances_by_subject ON appearances(subject_id);
      CREATE TABLE clip_reviews (
        clip_id TEXT PRIMARY KEY REFERENCES clips(id),
        no_people INTEGER NOT NULL CHECK (no_people IN (0, 1)),
        reviewed_at TEXT NOT NULL
      ) STRICT;
      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        action TEXT NOT NULL,
        details_json TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL,
        sig TEXT NOT NULL
      ) STRICT;
      CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
      CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
    `,
  },
  {
    version: 5,
    name: 'proxies, exports',
    // One current proxy per clip, with the fingerprint of the protection plan it was made under (a changed
    // plan means a stale proxy). Exports are history: export_items keeps the proxy object id even after that
    // proxy is replaced and deleted (no foreign key on it), so a later consent withdrawal can still list
    // every export that held the subject. The recipient is a person's name: sealed.
    up: `
      CREATE TABLE proxies (
        clip_id TEXT PRIMARY KEY,
        object_id TEXT NOT NULL REFERENCES objects(id),
        thumbs_object_id TEXT REFERENCES objects(id),
        plan_fingerprint TEXT NOT NULL,
        mode TEXT NOT NULL CHECK (mode IN ('full', 'regions', 'none')),
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE TABLE exports (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        recipient_sealed BLOB,
        manifest_object_id TEXT REFERENCES objects(id)
      ) STRICT;
      CREATE TABLE export_items (
        export_id TEXT NOT NULL REFERENCES exports(id),
        clip_id TEXT NOT NULL,
        proxy_object_id TEXT NOT NULL,
        PRIMARY KEY (export_id, clip_id)
      ) STRICT;
      CREATE INDEX export_items_by_clip ON export_items(clip_id);
      CREATE TRIGGER export_items_append_only_delete BEFORE DELETE ON export_items
        BEGIN SELECT RAISE(ABORT, 'export history is append-only'); END;
      CREATE TRIGGER exports_append_only_delete BEFORE DELETE ON exports
        BEGIN SELECT RAISE(ABORT, 'export history is append-only'); END;
    `,
  },
  {
    version: 6,
    name: 'card file lists, clip failure kinds',
    // files_sealed: the card's file list as scanned at the start of an offload (names are sealed: they
    // identify a card), so `cards` can tell a file never copied (a killed ingest) from a card fully in.
    // failure_kind / quarantine_reason: codes the faces word; a failed clip is retried by the next run.
    up: `
      ALTER TABLE cards ADD COLUMN files_sealed BLOB;
      ALTER TABLE clips ADD COLUMN failure_kind TEXT;
      ALTER TABLE clips ADD COLUMN quarantine_reason TEXT;
    `,
  },
  {
    version: 7,
    name: 'object damage found by vault verification, card file lists for ASC MHL',
    // One row per vault object a verification found missing or damaged, kept until a later verification
    // finds it sound (or it is gone from the catalog): the safe-to-wipe verdict reads it, so a card whose
    // vault copy was tampered with is never called safe to wipe. Ids and enums only, nothing sealed.
    // card_file_hashes: per offload, the card's other files (sidecars, unknown and unreadable ones) with their xxh64,
    // sealed (their names are the card's), so the card's ASC MHL can list every file on it.
    up: `
      CREATE TABLE card_file_hashes (
        ingest_id TEXT PRIMARY KEY REFERENCES ingests(id),
        card_id TEXT NOT NULL REFERENCES cards(id),
        created_at TEXT NOT NULL,
        files_sealed BLOB NOT NULL
      ) STRICT;
      CREATE INDEX card_file_hashes_by_card ON card_file_hashes(card_id, created_at);
      CREATE TABLE object_damage (
        object_id TEXT PRIMARY KEY,
        detected_at TEXT NOT NULL,
        problem TEXT NOT NULL CHECK (problem IN ('missing', 'header-damaged', 'wrong-class', 'size-mismatch', 'content-damaged', 'hash-mismatch'))
      ) STRICT;
    `,
  },
  {
    version: 8,
    name: 'library sort indexes',
    // The library pages 100,000 clips by any column: each sort order (and the common status filter with the
    // default order) reads a page straight from an index instead of sorting the whole table per page.
    up: `
      CREATE INDEX clips_by_code ON clips(code);
      CREATE INDEX clips_by_status_code ON clips(status, code);
      CREATE INDEX clips_by_created ON clips(created_at, code);
      CREATE INDEX clips_by_size ON clips(size, code);
      CREATE INDEX clips_by_duration ON clips(duration, code);
      CREATE INDEX clips_by_kind_code ON clips(kind, code);
      -- covers the per-card counts (clips and how many were read back) without reading the clip rows
      CREATE INDEX clips_by_card_verified ON clips(card_id, verified_at);
    `,
  },
  {
    version: 9,
    name: 'face tracks',
    // Automatic face tracks per clip. A box is where a face is, not who it is (no descriptor, nothing a
    // person typed), so it is stored plainly like drawn regions. face_scans says a clip was analysed and
    // when a person confirmed its tracks; a track assigned to a subject points at the appearance recorded
    // for it (its face region), and a removed appearance leaves the track unassigned (looked up with a
    // LEFT JOIN), so the track is covered again rather than forgotten.
    up: `
      CREATE TABLE face_scans (
        clip_id TEXT PRIMARY KEY REFERENCES clips(id),
        scanned_at TEXT NOT NULL,
        frames INTEGER NOT NULL,
        settings_json TEXT NOT NULL,
        confirmed_at TEXT
      ) STRICT;
      CREATE TABLE face_tracks (
        id TEXT PRIMARY KEY,
        clip_id TEXT NOT NULL REFERENCES clips(id),
        origin TEXT NOT NULL CHECK (origin IN ('detected', 'drawn')),
        keyframes_json TEXT NOT NULL,
        score REAL,
        confirmed INTEGER NOT NULL DEFAULT 0 CHECK (confirmed IN (0, 1)),
        appearance_id TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX face_tracks_by_clip ON face_tracks(clip_id);
    `,
  },
  {
    version: 10,
    name: 'face descriptors and appearance proposals',
    // Face descriptors are biometric data: one per track, sealed to the identity class (HQ only; a field vault
    // never holds one), deleted with the track and when the subject it is assigned to asks. Proposals say
    // "this track may be that subject" with a score, until a person accepts or rejects; decided rows stay so a
    // rejected pair is never proposed again. Ids, scores and states only: nothing here names anyone.
    up: `
      CREATE TABLE face_descriptors (
        track_id TEXT PRIMARY KEY,
        clip_id TEXT NOT NULL REFERENCES clips(id),
        descriptor_sealed BLOB NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE TABLE face_proposals (
        id TEXT PRIMARY KEY,
        track_id TEXT NOT NULL,
        clip_id TEXT NOT NULL REFERENCES clips(id),
        subject_id TEXT NOT NULL,
        score REAL NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'accepted', 'rejected')),
        created_at TEXT NOT NULL,
        decided_at TEXT,
        UNIQUE (track_id, subject_id)
      ) STRICT;
      CREATE INDEX face_proposals_by_clip ON face_proposals(clip_id, state);
      CREATE INDEX face_proposals_by_subject ON face_proposals(subject_id, state);
      CREATE TABLE face_biometrics_refused (
        subject_id TEXT PRIMARY KEY,
        refused_at TEXT NOT NULL
      ) STRICT;
    `,
  },
];

export const LATEST_SCHEMA_VERSION = migrations[migrations.length - 1]?.version ?? 0;
