import { z } from 'zod';

/**
 * What one sync record carries (sealed to HQ's master key inside the envelope): the field catalog rows HQ
 * needs to merge, exactly as the field stored them. Sealed columns stay sealed (they are sealed to HQ's keys
 * already in a field vault) and travel as base64. A record is hostile input until proven otherwise — a
 * stolen field key can sign anything — so every field is bounded here before HQ looks at it.
 */

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const objectId = z.string().regex(/^[0-9a-f]{32}$/);
const sealed = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/).max(16 * 1024 * 1024);
const time = z.string().max(64);
const json = z.string().max(8 * 1024 * 1024);
const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const payloadSchema = z.strictObject({
  vaultId: z.string().regex(/^[0-9a-f]{32}$/),
  createdAt: time,
  objects: z.array(z.strictObject({ id: objectId, cls: z.enum(['master', 'proxy', 'identity']), plainSize: count, blake2b: z.string().regex(/^[0-9a-f]{64}$/), size: count })).max(1_000_000),
  cards: z.array(z.strictObject({ id, label: sealed.nullable(), createdAt: time })).max(100_000),
  clips: z
    .array(
      z.strictObject({
        id,
        cardId: id,
        kind: z.enum(['video', 'audio', 'still']),
        status: z.enum(['verified', 'quarantined']),
        reason: z.string().max(4000).nullable(),
        // A field vault seals the reason to HQ (field sealing); records from before it was carried lack it.
        reasonSealed: sealed.nullable().optional(),
        quarantineReason: z.string().regex(/^[a-z0-9-]{1,64}$/).nullable().optional(),
        masterObjectId: objectId.nullable(),
        reportObjectId: objectId.nullable(),
        originalName: sealed.nullable(),
        hashes: sealed.nullable(),
        summary: sealed.nullable(),
        size: count.nullable(),
        duration: z.number().finite().min(0).nullable(),
        streamsJson: json.nullable(),
        createdAt: time,
        verifiedAt: time,
      }),
    )
    .max(1_000_000),
  subjects: z.array(z.strictObject({ id, pseudonym: sealed, identity: sealed.nullable(), protectionJson: json, createdAt: time })).max(100_000),
  consents: z
    .array(
      z.strictObject({
        seq: count,
        subjectId: id,
        state: z.enum(['pending', 'given', 'conditional', 'withdrawn']),
        scope: sealed.nullable(),
        recordedBy: sealed.nullable(),
        recordedAt: time,
      }),
    )
    .max(1_000_000),
  evidence: z.array(z.strictObject({ id, subjectId: id, objectId, kind: z.string().max(32), size: count, createdAt: time })).max(100_000),
  appearances: z.array(z.strictObject({ id, subjectId: id, clipId: id, rangesJson: json, regionsJson: json, createdAt: time })).max(1_000_000),
  reviews: z.array(z.strictObject({ clipId: id, noPeople: z.union([z.literal(0), z.literal(1)]), reviewedAt: time })).max(1_000_000),
  audit: z
    .array(
      z.strictObject({
        seq: count,
        at: time,
        action: z.string().max(64),
        detailsJson: z.string().max(64 * 1024),
        prevHash: z.string().regex(/^[0-9a-f]{64}$/),
        hash: z.string().regex(/^[0-9a-f]{64}$/),
        sig: z.string().max(200),
      }),
    )
    .max(10_000_000),
});

export type SyncPayload = z.infer<typeof payloadSchema>;
export type PayloadObject = SyncPayload['objects'][number];
