import { useEffect, useRef, useState, type ChangeEvent, type FormEvent, type ReactNode } from 'react';
import type { SafehouseErrorShape } from '../../../shared/errors';
import type { DeviceStatus, SyncProgress, SyncPullResult, SyncPushResult } from '../../../shared/model';
import { Dialog } from '../components/Dialog';
import { EmptyState, ErrorNotice } from '../components/EmptyState';
import { FingerprintCheck } from '../components/FingerprintCheck';
import { ProgressBar } from '../components/ProgressBar';
import { plural, visibleName } from '../format';
import { useApp } from '../navigation';
import { claimedFingerprint } from '../recipient-card';
import { callCore, onCoreEvent } from '../safehouse';
import { pendingWords, pullSummary, pushSummary, remoteAddress, sinceWords, syncFailure, transferDetail, transferLabel, type Failure, type RemoteAddress, type Summary } from '../sync-words';
import { useCoreQuery } from '../useCore';
import { windowMessage } from '../window-messages';

/**
 * Devices & sync. In a field vault: this laptop's card for HQ, push to the remote, panic. At HQ: enroll a
 * field laptop from its card, every laptop's status, pull from the remote. The core moves and checks the
 * footage and reports numbers; this screen only words them.
 */
export function SyncScreen() {
  const { vault } = useApp();
  return vault.kind === 'field' ? <FieldSync /> : <HqSync />;
}

/**
 * The remote typed in this window, per vault, for this session only: a field vault must not keep in clear
 * anything the crew typed (a bucket name says where footage goes), so it is never written to disk.
 */
const typedRemotes = new Map<string, { where: string; server: string }>();

type Outcome<T> = { state: 'idle' } | { state: 'running' } | { state: 'done'; value: T } | { state: 'failed'; failure: Failure };

/**
 * Transfers outlive the screen: the core keeps pushing while the crew looks at the library. Per vault and
 * direction, the one running (so the screen re-attaches to it) and how the last one ended (so it is still
 * said after navigating away and back).
 */
const transfers = new Map<string, { running: Promise<Outcome<unknown>> | null; last: Outcome<unknown> }>();

type RemoteTarget = { remote: string; endpoint?: string };
/** The remote of the last transfer that worked, per vault: what the device status is counted against. */
const checkedRemotes = new Map<string, RemoteTarget>();

/** On lock: whoever unlocks next (perhaps under duress) must not find the remote the crew typed. */
export function forgetSyncSession(): void {
  typedRemotes.clear();
  checkedRemotes.clear();
  transfers.clear();
}

/** A push or pull: the latest progress event of its direction, and how it ended. */
function useTransfer<T>(vaultId: string, direction: SyncProgress['direction']) {
  const key = `${vaultId}:${direction}`;
  const [progress, setProgress] = useState<SyncProgress | null>(null);
  const [outcome, setOutcome] = useState<Outcome<T>>(() => {
    const known = transfers.get(key);
    return (known?.running ? { state: 'running' } : (known?.last ?? { state: 'idle' })) as Outcome<T>;
  });
  // Counts finished transfers, so the device status reloads after one (even one started before a remount).
  const [finished, setFinished] = useState(0);
  const end = (ended: Outcome<T>) => {
    setOutcome(ended);
    setFinished((count) => count + 1);
  };
  useEffect(() => onCoreEvent('sync.progress', (event) => event.direction === direction && setProgress(event)), [direction]);
  useEffect(() => {
    let mounted = true;
    void transfers.get(key)?.running?.then((ended) => mounted && end(ended as Outcome<T>));
    return () => {
      mounted = false;
    };
  }, [key]);
  const run = async (address: Extract<RemoteAddress, { ok: true }>, call: (target: RemoteTarget) => Promise<{ ok: true; value: T } | { ok: false; error: SafehouseErrorShape }>) => {
    const target = { remote: address.remote, ...(address.endpoint ? { endpoint: address.endpoint } : {}) };
    setProgress(null);
    setOutcome({ state: 'running' });
    const running = call(target).then((result): Outcome<T> => {
      if (!result.ok) return { state: 'failed', failure: syncFailure(result.error, address.kind) };
      checkedRemotes.set(vaultId, target);
      return { state: 'done', value: result.value };
    });
    transfers.set(key, { running, last: { state: 'running' } });
    const ended = await running;
    transfers.set(key, { running: null, last: ended });
    end(ended);
  };
  return { progress, outcome, run, finished, checked: checkedRemotes.get(vaultId) ?? null };
}

function RemoteForm({ vaultId, action, busy, onSubmit, hint }: { vaultId: string; action: string; busy: boolean; onSubmit: (address: Extract<RemoteAddress, { ok: true }>) => void; hint: string }) {
  const [where, setWhere] = useState(typedRemotes.get(vaultId)?.where ?? '');
  const [server, setServer] = useState(typedRemotes.get(vaultId)?.server ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  const whereField = useRef<HTMLInputElement>(null);
  const chooseFolder = async () => {
    const answer = await callCore('dialog.chooseFolder', { purpose: 'sync' });
    if (answer.ok && answer.value.path) {
      setWhere(answer.value.path);
      setServer('');
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const address = remoteAddress(where, server);
    if (!address.ok) {
      setProblem(address.problem);
      whereField.current?.focus();
      return;
    }
    setProblem(null);
    typedRemotes.set(vaultId, { where, server });
    onSubmit(address);
  };
  return (
    <form className="stack remote-form" onSubmit={submit} aria-label={action}>
      <div className="row">
        <label className="grow">
          Remote: S3 address or folder on a drive
          <input ref={whereField} name="remote" value={where} onChange={(event) => setWhere(event.target.value)} autoComplete="off" spellCheck={false} placeholder="s3://bucket/folder or /media/usb/safehouse" />
        </label>
        <button type="button" onClick={() => void chooseFolder()}>
          Choose a folder…
        </button>
      </div>
      <div className="row">
        <label className="grow">
          Storage server (self-hosted S3 only; empty for Amazon S3)
          <input name="endpoint" value={server} onChange={(event) => setServer(event.target.value)} autoComplete="off" spellCheck={false} placeholder="https://storage.example.org" disabled={where.trim().startsWith('/') || where.trim().startsWith('file:')} />
        </label>
      </div>
      <p className="hint">{hint}</p>
      {problem && <ErrorNotice message={problem} />}
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? `${action}…` : action}
        </button>
      </div>
    </form>
  );
}

function TransferView<T>({ progress, outcome, describe }: { progress: SyncProgress | null; outcome: Outcome<T>; describe: (value: T) => ReactNode }) {
  return (
    <div className="transfer" aria-live="polite">
      {outcome.state === 'running' && !progress && <p aria-busy="true">Connecting…</p>}
      {progress && outcome.state !== 'failed' && outcome.state !== 'idle' && (
        <ProgressBar label={transferLabel(progress)} value={progress.bytesDone} max={progress.bytesTotal || 1} detail={transferDetail(progress)} />
      )}
      {outcome.state === 'done' && <div className="transfer-result" role="status">{describe(outcome.value)}</div>}
      {outcome.state === 'failed' && (
        <div className="error-notice transfer-failure" role="alert">
          <strong>{outcome.failure.what}</strong> {outcome.failure.todo}
        </div>
      )}
    </div>
  );
}

/** A summary from sync-words: a short headline in bold, then the sentence. */
function SummaryLine({ words }: { words: Summary }) {
  return (
    <p>
      {words.headline && <strong>{words.headline} </strong>}
      {words.text}
    </p>
  );
}

// ---------------------------------------------------------------- field

function FieldSync() {
  const { vault } = useApp();
  const push = useTransfer<SyncPushResult>(vault.id, 'push');
  const [devices] = useCoreQuery('devices.list', push.checked ?? {}, push.finished);
  const self = devices.state === 'ready' ? devices.value.find((device) => device.self) : undefined;

  return (
    <section className="screen sync">
      <p className="lede">Footage leaves this laptop sealed to HQ. Only HQ can open it; the storage on the way sees numbered, encrypted files.</p>

      <section className="panel" aria-labelledby="push-title">
        <h2 id="push-title">Send footage to HQ</h2>
        {self && <FieldStatus device={self} />}
        <RemoteForm vaultId={vault.id} action="Push to HQ" busy={push.outcome.state === 'running'} onSubmit={(address) => void push.run(address, (target) => callCore('sync.push', target))} hint="Use the address HQ gave you. A push that stops half-way continues where it stopped next time." />
        <TransferView progress={push.progress} outcome={push.outcome} describe={(result) => <SummaryLine words={pushSummary(result)} />} />
      </section>

      <OwnCard />

      <PanicSection unpushed={self?.notInRecord?.clips ?? 0} />
    </section>
  );
}

/**
 * This laptop's card, shown when asked for: exporting it is an audited act (HQ sees it in the laptop's
 * log), so merely opening the screen does not do it.
 */
function OwnCard() {
  const [card, setCard] = useState<{ state: 'hidden' } | { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; card: string; fingerprintWords: string }>({ state: 'hidden' });
  const [copied, setCopied] = useState<string | null>(null);
  const ownCard = useRef<HTMLTextAreaElement>(null);
  const show = async () => {
    setCard({ state: 'loading' });
    const result = await callCore('recipients.export', {});
    setCard(result.ok ? { state: 'ready', ...result.value } : { state: 'error', message: windowMessage(result.error) });
  };
  /**
   * Copies by selecting the card and the editing command: the window denies every browser permission,
   * the asynchronous clipboard's included, while a copy the person clicked for is allowed.
   */
  const copyCard = () => {
    ownCard.current?.focus();
    ownCard.current?.select();
    const done = document.execCommand('copy');
    setCopied(done ? 'Copied. Send it to HQ by any channel.' : 'The card is selected: press Ctrl+C to copy it.');
  };
  return (
    <section className="panel" aria-labelledby="card-title">
      <h2 id="card-title">This laptop’s card for HQ</h2>
      <p className="hint">HQ enrolls this laptop once, from this card, before it can bring the footage in. Send the card by any channel, then read the fingerprint aloud with HQ by phone or in person.</p>
      {card.state === 'hidden' && (
        <button type="button" className="start" onClick={() => void show()}>
          Show the card
        </button>
      )}
      {card.state === 'loading' && <p aria-busy="true">Preparing the card…</p>}
      {card.state === 'error' && <ErrorNotice message={card.message} />}
      {card.state === 'ready' && (
        <div className="stack">
          <p>
            Fingerprint: <strong className="mono fingerprint">{card.fingerprintWords}</strong>
          </p>
          {/* Labelled by id, not by wrapping: a wrapping label would read the whole card out as the field's name. */}
          <label htmlFor="own-card">Card</label>
          <textarea ref={ownCard} id="own-card" name="ownCard" readOnly rows={4} value={card.card} spellCheck={false} className="mono" />
          <div className="row toolbar">
            <button type="button" onClick={copyCard}>
              Copy card
            </button>
            {copied && (
              <span className="hint" role="status">
                {copied}
              </span>
            )}
          </div>
        </div>
      )}
    </section>
  );
}

function FieldStatus({ device }: { device: DeviceStatus }) {
  const pending = pendingWords(device);
  return (
    <dl className="facts device-self">
      <dt>Last push</dt>
      <dd>{sinceWords(device.lastPushAt, Date.now())}</dd>
      <dt>Waiting</dt>
      <dd className={pending.tone}>{pending.text}</dd>
    </dl>
  );
}

function PanicSection({ unpushed }: { unpushed: number }) {
  const { onPanicked } = useApp();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const panic = async () => {
    setBusy(true);
    setError(null);
    const result = await callCore('vault.panic', {});
    setBusy(false);
    if (result.ok) onPanicked(result.value);
    else setError(`${windowMessage(result.error)} The keys may still be on this laptop: try again, or switch the laptop off.`);
  };
  return (
    <section className="panel panic" aria-labelledby="panic-title">
      <h2 id="panic-title">Panic</h2>
      <p className="hint">If this laptop is about to be taken, panic destroys its keys at once: afterwards no passphrase opens anything here. Footage already pushed still opens at HQ.</p>
      <button type="button" className="danger" onClick={() => setConfirming(true)}>
        Panic: destroy the keys…
      </button>
      {confirming && (
        <Dialog title="Destroy this laptop’s keys?" className="danger-dialog" onClose={() => setConfirming(false)}>
          <p>Panic locks the vault now and destroys its keys on this laptop. After that, no passphrase opens anything here: not the clips, not the proxies, not the subjects, even if someone forces you to type it.</p>
          <p>
            <strong>It cannot be undone, not here and not by HQ.</strong> Footage already pushed to HQ still opens there.{' '}
            {unpushed > 0 ? `${plural(unpushed, 'clip')} not pushed yet will be lost for good.` : 'Every offloaded clip has gone into a push.'}
          </p>
          {error && <ErrorNotice message={error} />}
          <div className="row end">
            <button type="button" data-autofocus onClick={() => setConfirming(false)}>
              Keep the vault
            </button>
            <button type="button" className="danger" onClick={() => void panic()} disabled={busy}>
              {busy ? 'Destroying the keys…' : 'Destroy the keys now'}
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}

// ---------------------------------------------------------------- HQ

function HqSync() {
  const { vault } = useApp();
  const pull = useTransfer<SyncPullResult>(vault.id, 'pull');
  // Pending is counted on the remote last pulled from, so the list says what still waits there.
  const [devices, reloadDevices] = useCoreQuery('devices.list', pull.checked ?? {}, pull.finished);

  return (
    <section className="screen sync">
      <p className="lede">Field laptops push sealed footage to a bucket or a drive; HQ checks every piece against the laptop’s enrolled key and adds it to this vault.</p>
      <section className="panel" aria-labelledby="pull-title">
        <h2 id="pull-title">Bring footage home</h2>
        <RemoteForm vaultId={vault.id} action="Pull from the remote" busy={pull.outcome.state === 'running'} onSubmit={(address) => void pull.run(address, (target) => callCore('sync.pull', { ...target, proxies: 'background' }))} hint="The same address the crew pushes to. Nothing is imported unless every record and object passes its checks." />
        <TransferView progress={pull.progress} outcome={pull.outcome} describe={(result) => <SummaryLine words={pullSummary(result)} />} />
      </section>

      <section className="panel" aria-labelledby="devices-title">
        <h2 id="devices-title">Field laptops</h2>
        {devices.state === 'loading' && <p aria-busy="true">Loading field laptops…</p>}
        {devices.state === 'error' && <TransferFailure failure={syncFailure(devices.error, pull.checked?.remote.startsWith('file:') ? 'folder' : 's3')} />}
        {devices.state === 'ready' && devices.value.length === 0 && (
          <EmptyState title="No field laptop enrolled yet">
            <p>Enroll a laptop from the card its crew sends you (below). Until then, nothing pushed from it can be brought in.</p>
          </EmptyState>
        )}
        {devices.state === 'ready' && devices.value.length > 0 && <DeviceTable devices={devices.value} />}
      </section>

      <EnrollForm onEnrolled={reloadDevices} />
    </section>
  );
}

function TransferFailure({ failure }: { failure: Failure }) {
  return (
    <div className="error-notice" role="alert">
      <strong>{failure.what}</strong> {failure.todo}
    </div>
  );
}

function DeviceTable({ devices }: { devices: DeviceStatus[] }) {
  const now = Date.now();
  return (
    <table className="clip-table device-table">
      <colgroup>
        <col className="col-device" />
        <col />
        <col />
        <col className="col-waiting" />
        <col />
      </colgroup>
      <thead>
        <tr>
          <th scope="col">Laptop</th>
          <th scope="col">Last push</th>
          <th scope="col">Last pull</th>
          <th scope="col">Waiting</th>
          <th scope="col">Audit log</th>
        </tr>
      </thead>
      <tbody>
        {devices.map((device) => {
          const pending = pendingWords(device);
          return (
            <tr key={device.id}>
              <td>
                <span className="device-name">{device.name ? visibleName(device.name) : 'Unnamed laptop'}</span>
                {device.fingerprintWords && <span className="mono hint device-fingerprint">{device.fingerprintWords}</span>}
              </td>
              <td>{sinceWords(device.lastPushAt, now)}</td>
              <td>
                {sinceWords(device.lastPullAt, now)}
                {device.records > 0 && <span className="hint"> · {plural(device.records, 'batch', 'batches')}</span>}
              </td>
              <td className={pending.tone}>{pending.text}</td>
              <td className={device.audit && !device.audit.intact ? 'warn' : undefined}>
                {device.audit === null || device.audit.entries === 0 ? 'Nothing pulled yet' : device.audit.intact ? `Verified (${plural(device.audit.entries, 'entry', 'entries')})` : 'Does not verify: tell whoever is responsible for security'}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function enrollFailure(error: SafehouseErrorShape): string {
  if (error.code === 'RECIPIENT_CARD_INVALID') return 'This card is damaged or altered, or it is not a field laptop’s card. Ask the crew to copy it again from their Devices & sync screen, and compare the fingerprint aloud.';
  if (error.code === 'INVALID_INPUT') return 'This card cannot be enrolled: it is this HQ vault’s own card, or not a field laptop’s card. Paste the card the crew sent from their laptop.';
  return windowMessage(error);
}

function EnrollForm({ onEnrolled }: { onEnrolled: () => void }) {
  const [card, setCard] = useState('');
  const [name, setName] = useState('');
  const [compared, setCompared] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<{ name: string; alreadyEnrolled: boolean; fingerprintWords: string } | null>(null);
  const fingerprint = claimedFingerprint(card);
  const doneRef = useRef<HTMLDivElement>(null);

  const changeCard = (text: string) => {
    setCard(text);
    setCompared(false);
    setDone(null);
    setError(null);
  };
  const pickFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    if (file.size > 16_384) return setError('That file is too large to be a laptop’s card. Choose the small card file the crew sent.');
    changeCard(await file.text());
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const result = await callCore('devices.enroll', { card, ...(name.trim() ? { name: name.trim() } : {}) });
    setBusy(false);
    if (!result.ok) return setError(enrollFailure(result.error));
    setDone({ name: name.trim() || 'The laptop', alreadyEnrolled: result.value.alreadyEnrolled, fingerprintWords: result.value.fingerprintWords });
    setCard('');
    setName('');
    setCompared(false);
    onEnrolled();
    requestAnimationFrame(() => doneRef.current?.focus());
  };

  return (
    <section className="panel" aria-labelledby="enroll-title">
      <h2 id="enroll-title">Enroll a field laptop</h2>
      <form className="stack" onSubmit={submit} aria-label="Enroll a field laptop">
        <div className="row wrap enroll-inputs">
          <div className="grow stack-tight">
            <label htmlFor="device-card">The laptop’s card</label>
            <textarea id="device-card" name="deviceCard" rows={4} value={card} onChange={(event) => changeCard(event.target.value)} spellCheck={false} placeholder="Paste the card the crew sent" />
          </div>
          <label className="file-pick">
            Or open the card file
            <input type="file" accept=".json,application/json,text/plain" onChange={(event) => void pickFile(event)} />
          </label>
        </div>
        <label>
          Name for this laptop
          <input name="deviceName" value={name} onChange={(event) => setName(event.target.value)} maxLength={200} autoComplete="off" placeholder="Camera B laptop" />
        </label>
        {card.trim() !== '' &&
          (fingerprint ? (
            <FingerprintCheck fingerprint={fingerprint} withWhom="the crew" compared={compared} onCompared={setCompared} />
          ) : (
            <ErrorNotice message="This does not look like a laptop’s card. Paste the whole card, from the first { to the last }." />
          ))}
        {error && <ErrorNotice message={error} />}
        <div className="row">
          <button type="submit" className="primary" disabled={busy || !fingerprint || !compared}>
            {busy ? 'Enrolling…' : 'Enroll laptop'}
          </button>
          {card.trim() !== '' && fingerprint && !compared && <span className="hint">Compare the fingerprint first.</span>}
        </div>
      </form>
      {done && (
        <div ref={doneRef} tabIndex={-1} role="status" className={done.alreadyEnrolled ? 'notice' : 'enrolled'}>
          {done.alreadyEnrolled ? (
            <>
              <strong>Already enrolled.</strong> This laptop (fingerprint <span className="mono">{done.fingerprintWords}</span>) was enrolled before; nothing changed{done.name !== 'The laptop' ? ' except its name' : ''}.
            </>
          ) : (
            <>
              <strong>Enrolled.</strong> {done.name} (fingerprint <span className="mono">{done.fingerprintWords}</span>) can now push footage to HQ.
            </>
          )}
        </div>
      )}
    </section>
  );
}
