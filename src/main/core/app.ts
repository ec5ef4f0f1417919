import path from 'node:path';
import { calls, isCallName, type CallName, type CallOutput, type EventName, type EventPayload } from '../../shared/api';
import { SafehouseError, ok, toErrorShape, type Result } from '../../shared/errors';
import type { AppInfo, VaultStatus, VaultSummary } from '../../shared/model';
import { panicHandler } from './vault/panic-handler';
import type { CoreContext, Handler, HandlerMap } from './core-context';
import { EventHub } from './events';
import { findMediaTools, type MediaTools } from './media/media-tools';
import { createPlaybackCache } from './media/playback';
import { readThumbnail } from './media/thumbnail';
import { reviewFrame } from './media/review-frame';
import { fingerprintWords, readRecipientCard } from './vault/recipients';
import { loadSodium } from './vault/sodium';
import { createVault, unlockVault, type UnlockedVault } from './vault/vault';
import { listCardLabels, listCards, listClips, getClip, queryClips, safetyCounts } from './ingest/clip-queries';
import { readClipReport } from './ingest/clip-report';
import { scanCardForPreview } from './ingest/card-preview';
import { ingestHandlers } from './ingest/handlers';
import { subjectHandlers } from './subjects/handlers';
import { appendAudit, appendGenesis } from './audit/audit-log';
import { proxyHandlers } from './proxies/handlers';
import { integrityHandlers } from './integrity/handlers';
import { proxyQueue } from './proxies/proxy-queue';
import { syncHandlers } from './sync/handlers';
import { faceHandlers } from './faces/handlers';
import { cancelScans, faceQueue } from './faces/face-scan';

export interface SafehouseOptions {
  /** App version shown in the UI and `--version`. */
  version?: string;
  /** Native folder picker; absent in the CLI and in tests unless a test provides one. */
  chooseFolder?: (purpose: 'card' | 'vault' | 'export' | 'sync') => Promise<string | null>;
  /** Default idle time before the vault locks itself. */
  autoLockMinutes?: number | null;
}

type Handlers = { [K in CallName]: Handler<K> };

export interface Safehouse {
  /** Validates `input` against the contract, runs the call, and never throws: failures become results. */
  call<K extends CallName>(name: K, input: unknown): Promise<Result<CallOutput<K>>>;
  on<K extends EventName>(name: K, listener: (payload: EventPayload<K>) => void): () => void;
  /**
   * Binary media for the window (proxy playback with byte ranges), answered from memory. Not a contract
   * call because it streams bytes to a <video> element; served by the app protocol under /media/.
   */
  media(pathname: string, rangeHeader: string | null): Promise<Response>;
  /** Locks the vault and releases files; the facade can be used again afterwards. */
  close(): Promise<void>;
}

/** Each capability folder contributes the handlers for its calls. */
const capabilityHandlers: ((context: CoreContext) => HandlerMap)[] = [ingestHandlers, subjectHandlers, proxyHandlers, integrityHandlers, faceHandlers, syncHandlers];

function mergeHandlers(maps: HandlerMap[]): Handlers {
  const merged: HandlerMap = {};
  for (const map of maps) {
    for (const name of Object.keys(map) as CallName[]) {
      if (merged[name]) throw new Error(`two handlers for ${name}`);
      (merged as Record<string, unknown>)[name] = map[name];
    }
  }
  const missing = (Object.keys(calls) as CallName[]).filter((name) => !merged[name]);
  if (missing.length > 0) throw new Error(`no handler for ${missing.join(', ')}`);
  return merged as Handlers;
}

/** The one facade over the core: Electron IPC, the CLI and the browser tests all go through `call`. */
export function createSafehouse(options: SafehouseOptions = {}): Safehouse {
  const hub = new EventHub();
  let vault: UnlockedVault | null = null;
  let lockedDir: string | null = null;
  let autoLockMinutes: number | null = options.autoLockMinutes === undefined ? 15 : options.autoLockMinutes;

  const playback = createPlaybackCache();
  const requireVault = (): UnlockedVault => {
    if (!vault || vault.isLocked()) throw new SafehouseError('VAULT_LOCKED');
    vault.touch();
    return vault;
  };

  const summarize = (unlocked: UnlockedVault): VaultSummary => ({
    id: unlocked.info.id,
    kind: unlocked.info.kind,
    dir: unlocked.info.dir,
    canOpen: { ...unlocked.info.canOpen },
    autoLockMinutes,
    ...(unlocked.info.hqFingerprint !== null ? { hqFingerprint: unlocked.info.hqFingerprint } : {}),
  });

  const adopt = (unlocked: UnlockedVault): VaultSummary => {
    if (vault !== unlocked) vault?.lock();
    playback.clear();
    vault = unlocked;
    lockedDir = unlocked.info.dir;
    unlocked.setAutoLock(autoLockMinutes === null ? null : autoLockMinutes * 60_000, () => {
      cancelScans(unlocked);
      playback.clear();
      hub.emit('vault.locked', { reason: 'idle' });
    });
    return summarize(unlocked);
  };

  let tools: Promise<MediaTools> | null = null;
  const context: CoreContext = {
    requireVault,
    mediaTools: () => {
      // Looked up once, but a failed lookup is retried so installing ffmpeg does not need a restart.
      tools ??= findMediaTools().catch((error: unknown) => {
        tools = null;
        throw error;
      });
      return tools;
    },
    hub,
  };

  const coreHandlers: HandlerMap = {
    'app.info': async (): Promise<AppInfo> => {
      let mediaTools: AppInfo['mediaTools'];
      try {
        await context.mediaTools();
        mediaTools = { available: true };
      } catch (error) {
        mediaTools = { available: false, message: toErrorShape(error).message };
      }
      return { name: 'Safehouse', version: options.version ?? '0.0.0', mediaTools };
    },
    'vault.status': async (): Promise<VaultStatus> => {
      if (vault && !vault.isLocked()) return { state: 'unlocked', vault: summarize(vault) };
      return lockedDir ? { state: 'locked', dir: lockedDir } : { state: 'none' };
    },
    // Audited here, at the facade, so the window and the CLI record the same events.
    'vault.create': async ({ dir, passphrase, kind, hqRecipientCard }) => {
      await loadSodium(); // parsing a recipient card checks its fingerprint with libsodium
      const created = await createVault(dir, passphrase, { kind, ...(hqRecipientCard ? { hqRecipientCard: readRecipientCard(hqRecipientCard) } : {}) });
      await appendGenesis(created).catch((error: unknown) => {
        created.lock(); // never leave secrets in memory for a session nobody holds
        throw error;
      });
      return adopt(created);
    },
    'vault.unlock': async ({ dir, passphrase }) => {
      const unlocked = await unlockVault(dir, passphrase);
      await appendAudit(unlocked, 'vault.unlock', {}).catch((error: unknown) => {
        unlocked.lock();
        throw error;
      });
      return adopt(unlocked);
    },
    'vault.lock': async () => {
      if (vault && !vault.isLocked()) {
        // Locking must never fail: an audit write error (disk full) does not keep the vault open.
        await appendAudit(vault, 'vault.lock', { reason: 'manual' }).catch(() => undefined);
        cancelScans(vault);
        vault.lock();
        playback.clear();
        hub.emit('vault.locked', { reason: 'manual' });
      }
      vault = null;
      return lockedDir ? { state: 'locked', dir: lockedDir } : { state: 'none' };
    },
    'vault.changePassphrase': async ({ oldPassphrase, newPassphrase }) => {
      const unlocked = requireVault();
      await unlocked.changePassphrase(oldPassphrase, newPassphrase);
      await appendAudit(unlocked, 'key.passphrase-change', {});
      return summarize(unlocked);
    },
    'recipients.export': async ({ classes }) => {
      const unlocked = requireVault();
      const card = unlocked.exportRecipientCard(classes);
      await appendAudit(unlocked, 'recipient.export', { classes: (classes ?? ['master', 'proxy', 'identity']).join(',') });
      return { card: JSON.stringify(card, null, 2), fingerprintWords: fingerprintWords(card) };
    },
    'recipients.add': async ({ keyClass, card, label }) => {
      const unlocked = requireVault();
      const parsed = readRecipientCard(card);
      await unlocked.addRecipient(keyClass, parsed, label);
      await appendAudit(unlocked, 'recipient.add', { class: keyClass, fingerprint: parsed.fingerprint.slice(0, 64) });
      return { ...summarize(unlocked), fingerprintWords: fingerprintWords(parsed) };
    },
    'recipients.signSet': async () => {
      const unlocked = requireVault();
      const signed = unlocked.signRecipientSet();
      await appendAudit(unlocked, 'recipient.sign-set', { master: signed.set.keys.master.length, identity: signed.set.keys.identity.length });
      return { set: JSON.stringify(signed, null, 2), fingerprintWords: fingerprintWords(unlocked.exportRecipientCard()) };
    },
    'recipients.applySet': async ({ set }) => {
      const unlocked = requireVault();
      await unlocked.applyRecipientSet(set);
      await appendAudit(unlocked, 'recipient.apply-set', {});
      return summarize(unlocked);
    },
    'vault.panic': async ({ dir }) => {
      const target = vault && !vault.isLocked() ? vault : null;
      // The window may destroy only the vault this session knows; a fresh session (the CLI) names its folder.
      const known = target?.info.dir ?? lockedDir;
      if (dir !== undefined && known !== null && path.resolve(dir) !== path.resolve(known)) {
        throw new SafehouseError('INVALID_INPUT', 'Panic acts on the vault open in this window; that folder is another vault. Nothing was changed.');
      }
      const result = await panicHandler(target, dir ?? lockedDir);
      playback.clear();
      if (target) hub.emit('vault.locked', { reason: 'manual' });
      vault = null;
      return result;
    },
    'vault.setAutoLock': async ({ minutes }) => {
      const unlocked = requireVault();
      autoLockMinutes = minutes;
      return adopt(unlocked);
    },
    'dialog.chooseFolder': async ({ purpose }) => {
      if (!options.chooseFolder) return { path: null };
      return { path: await options.chooseFolder(purpose) };
    },
    'card.scan': async ({ path }) => {
      requireVault();
      return scanCardForPreview(path);
    },
    'cards.list': async () => listCards(requireVault()),
    'cards.labels': async () => listCardLabels(requireVault()),
    'clips.list': async () => listClips(requireVault()),
    'clip.get': async ({ id }) => getClip(requireVault(), id),
    'clips.query': async (query) => queryClips(requireVault(), query),
    'clip.thumbnail': async ({ id }) => readThumbnail(requireVault(), id),
    'clip.reviewFrame': async ({ id, seconds }) => reviewFrame(requireVault(), await context.mediaTools(), id, seconds),
    'clip.report': async ({ id }) => readClipReport(requireVault(), id),
    'safety.summary': async () => safetyCounts(requireVault()),
  };
  const handlers = mergeHandlers([coreHandlers, ...capabilityHandlers.map((make) => make(context))]);

  return {
    async call(name, input) {
      if (!isCallName(name)) return { ok: false, error: toErrorShape(new SafehouseError('UNKNOWN_CALL')) };
      const parsed = calls[name].input.safeParse(input);
      if (!parsed.success) {
        const detail = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`);
        return { ok: false, error: { code: 'INVALID_INPUT', message: `The request was malformed (${detail.join('; ')}).` } };
      }
      try {
        const handler = handlers[name] as (input: unknown) => Promise<CallOutput<typeof name>>;
        return ok(await handler(parsed.data));
      } catch (error) {
        return { ok: false, error: toErrorShape(error) };
      }
    },
    on: (name, listener) => hub.on(name, listener),
    async media(pathname, rangeHeader) {
      if (!vault || vault.isLocked()) return new Response('The vault is locked', { status: 403 });
      return playback.respond(requireVault(), pathname, rangeHeader);
    },
    async close() {
      // A face scan holds decrypted frames in memory: stop it before the keys go.
      cancelScans(vault);
      playback.clear();
      vault?.lock();
      vault = null;
      // Background proxy jobs stop at their next vault call; nothing may still be writing once this returns.
      await proxyQueue.idle();
      await faceQueue.idle();
    },
  };
}
