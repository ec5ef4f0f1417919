import { useCallback, useEffect, useState } from 'react';
import type { CardScanSummary, IngestProgress, OffloadJob } from '../../../shared/model';
import { CardPicker } from '../components/CardPicker';
import { Dialog } from '../components/Dialog';
import { EmptyState, ErrorNotice } from '../components/EmptyState';
import { OffloadHistory } from '../components/OffloadHistory';
import { OffloadJobView } from '../components/OffloadJobView';
import { OffloadResults } from '../components/OffloadResults';
import { ScanPreview } from '../components/ScanPreview';
import { plural } from '../format';
import { callCore, onCoreEvent } from '../safehouse';

const finished = (job: OffloadJob) => job.state === 'done' || job.state === 'cancelled' || job.state === 'failed';
const active = (job: OffloadJob) => job.state === 'running' || job.state === 'paused';

/**
 * Crew: pick a card, preview it, offload it, and see plainly whether the card is safe to wipe. The offload
 * runs in the core: this screen only shows it, so leaving it or reloading the window loses nothing, and a
 * second card scanned meanwhile waits in the queue.
 */
export function OffloadScreen() {
  const [jobs, setJobs] = useState<OffloadJob[]>([]);
  const [overall, setOverall] = useState<IngestProgress | null>(null);
  const [files, setFiles] = useState<Record<string, IngestProgress>>({});
  const [scan, setScan] = useState<CardScanSummary | null>(null);
  const [label, setLabel] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [interrupted, setInterrupted] = useState<{ startedAt: string }[]>([]);
  const [dismissed, setDismissed] = useState<Set<string>>(new Set());
  const [confirmCancel, setConfirmCancel] = useState<OffloadJob | null>(null);
  const [historyGeneration, setHistoryGeneration] = useState(0);
  const [dropHover, setDropHover] = useState(false);

  const upsert = useCallback((job: OffloadJob) => {
    setJobs((previous) => (previous.some((known) => known.id === job.id) ? previous.map((known) => (known.id === job.id ? job : known)) : [...previous, job]));
    if (active(job) && job.progress) {
      setOverall(job.progress);
      setFiles(Object.fromEntries(job.files.map((file) => [file.file!, file])));
    }
    if (finished(job)) setHistoryGeneration((value) => value + 1);
  }, []);

  useEffect(() => {
    // Re-attach: whatever the core is running (or ran) this session, with its progress so far.
    void callCore('offload.jobs', {}).then((result) => {
      if (!result.ok) return;
      setJobs(result.value);
      const running = result.value.find(active);
      if (running?.progress) {
        setOverall(running.progress);
        setFiles(Object.fromEntries(running.files.map((file) => [file.file!, file])));
      }
    });
    void callCore('offload.interrupted', {}).then((result) => result.ok && setInterrupted(result.value));
    const stopJobs = onCoreEvent('offload.job', upsert);
    const stopProgress = onCoreEvent('offload.progress', (event) => {
      setOverall((previous) => {
        if (previous && previous.ingestId !== event.ingestId) setFiles({});
        return event;
      });
      if (event.file) {
        const name = event.file;
        setFiles((previous) => {
          const next = { ...previous };
          if (event.step === 'done') delete next[name];
          else next[name] = event;
          return next;
        });
      }
    });
    return () => {
      stopJobs();
      stopProgress();
    };
  }, [upsert]);

  const runScan = useCallback(async (cardPath: string) => {
    setError(null);
    setBusy(true);
    const result = await callCore('card.scan', { path: cardPath });
    setBusy(false);
    if (result.ok) setScan(result.value);
    else setError(result.error.message);
  }, []);

  // A card folder dropped anywhere on the window is scanned (the desktop app tells its path).
  useEffect(() => {
    const over = (event: DragEvent) => {
      if (!event.dataTransfer?.types.includes('Files')) return;
      event.preventDefault();
      setDropHover(true);
    };
    const leave = () => setDropHover(false);
    const drop = (event: DragEvent) => {
      event.preventDefault(); // never let the window navigate to a dropped file
      setDropHover(false);
      const file = event.dataTransfer?.files[0];
      if (!file) return;
      const dropped = window.safehouseFiles?.pathOf(file) ?? '';
      if (dropped) void runScan(dropped);
      else setError('That could not be read as a folder. Choose the card with “Choose…” instead.');
    };
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, [runScan]);

  const start = async (card: CardScanSummary) => {
    setError(null);
    const result = await callCore('offload.queue', { path: card.root, ...(label.trim() ? { label: label.trim() } : {}) });
    if (!result.ok) return setError(result.error.message);
    upsert(result.value);
    setScan(null);
    setLabel('');
    setInterrupted([]);
  };

  const pause = async (job: OffloadJob, paused: boolean) => {
    const result = await callCore('offload.pause', { jobId: job.id, paused });
    if (result.ok) upsert(result.value);
    else setError(result.error.message);
  };
  const cancel = async (job: OffloadJob) => {
    setConfirmCancel(null);
    const result = await callCore('offload.cancel', { jobId: job.id });
    if (result.ok) upsert(result.value);
    else setError(result.error.message);
  };

  const running = jobs.find(active) ?? null;
  const queued = jobs.filter((job) => job.state === 'queued');
  const latest = [...jobs].reverse().find((job) => finished(job) && !dismissed.has(job.id)) ?? null;

  return (
    <section className={`screen offload ${dropHover ? 'drop-hover' : ''}`}>
      {interrupted.length > 0 && !running && (
        <div className="notice" role="status">
          An offload started {new Date(interrupted[0]!.startedAt).toLocaleString()} did not finish. Choose the same card and start again: files already verified are
          skipped and the rest are completed.
        </div>
      )}
      <CardPicker busy={busy} onScan={(cardPath) => void runScan(cardPath)} />
      {error && <ErrorNotice message={error} />}
      {running && (
        <OffloadJobView job={running} overall={overall} files={Object.values(files)} onPause={(paused) => void pause(running, paused)} onCancel={() => setConfirmCancel(running)} />
      )}
      {queued.length > 0 && (
        <section className="queue" aria-labelledby="queue-title">
          <h2 id="queue-title">Waiting: {plural(queued.length, 'card')}</h2>
          <ul>
            {queued.map((job) => (
              <li key={job.id} className="row">
                <span className="grow file-name">{job.label || job.path}</span>
                <button type="button" onClick={() => void cancel(job)}>
                  Remove from queue
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      {scan && (
        <>
          <ScanPreview scan={scan} />
          {scan.clips.length > 0 && (
            <form
              className="row start-offload"
              onSubmit={(event) => {
                event.preventDefault();
                void start(scan);
              }}
            >
              <label className="grow">
                Card label (sealed in the vault)
                <input name="label" value={label} onChange={(event) => setLabel(event.target.value)} maxLength={200} autoComplete="off" />
              </label>
              {/* Focus moves here after a scan so the whole offload works from the keyboard. */}
              <button type="submit" className="primary" autoFocus>
                {running ? 'Queue after the current card' : 'Start offload'}
              </button>
              <button type="button" onClick={() => setScan(null)}>
                Not this card
              </button>
            </form>
          )}
        </>
      )}
      {latest && !scan && (
        <section className="last-result" aria-labelledby="result-title">
          <div className="row toolbar">
            <h2 id="result-title" className="grow">
              {latest.state === 'cancelled' ? 'Offload stopped' : latest.state === 'failed' ? 'Offload failed' : 'Offload finished'}: {latest.label || latest.path}
            </h2>
            <button type="button" onClick={() => setDismissed((previous) => new Set(previous).add(latest.id))}>
              Done with this card
            </button>
          </div>
          {latest.error && <ErrorNotice message={latest.error.message} />}
          {latest.result && <OffloadResults result={latest.result} cardPath={latest.path} />}
        </section>
      )}
      {!running && !scan && !latest && !error && queued.length === 0 && (
        <EmptyState title="No card yet">
          <p>Insert a camera card and pick it above, or drop its folder on this window. Safehouse only reads the card; nothing is written to it.</p>
        </EmptyState>
      )}
      <OffloadHistory generation={historyGeneration} />
      {confirmCancel && (
        <Dialog title="Stop this offload?" onClose={() => setConfirmCancel(null)}>
          <p>Files being copied now finish; the rest stay on the card and are listed as not copied, so the card will not be safe to wipe. Offloading the card again later completes it.</p>
          <div className="row end">
            <button type="button" data-autofocus onClick={() => setConfirmCancel(null)}>
              Keep offloading
            </button>
            <button type="button" className="danger" onClick={() => void cancel(confirmCancel)}>
              Stop offload
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}
