import { useEffect, useState, type FormEvent } from 'react';
import type { ExportProgress, ExportResult, ProxyProgress } from '../../../shared/model';
import { EmptyState, ErrorNotice } from '../components/EmptyState';
import { ExportClipPicker, exportRows } from '../components/ExportClipPicker';
import { ExportResultView } from '../components/ExportResultView';
import { ProgressBar } from '../components/ProgressBar';
import { callCore, onCoreEvent } from '../safehouse';
import { useCoreQuery } from '../useCore';

/** Editor: anonymised proxies of cleared clips, to a folder, with a manifest; nothing else can leave. */
export function ExportScreen() {
  const [clips, reloadClips] = useCoreQuery('clips.list', {});
  const [report, reloadReport] = useCoreQuery('safety.report', {});
  const [proxies, reloadProxies] = useCoreQuery('proxies.status', {});
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [outDir, setOutDir] = useState('');
  const [recipient, setRecipient] = useState('');
  const [running, setRunning] = useState(false);
  const [progress, setProgress] = useState<ExportProgress | null>(null);
  const [building, setBuilding] = useState<ProxyProgress | null>(null);
  const [result, setResult] = useState<ExportResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const offExport = onCoreEvent('export.progress', setProgress);
    const offProxy = onCoreEvent('proxy.progress', setBuilding);
    return () => {
      offExport();
      offProxy();
    };
  }, []);

  if (clips.state === 'loading' || report.state === 'loading') return <p aria-busy="true">Loading clips…</p>;
  if (clips.state === 'error') return <ErrorNotice message={clips.error.message} />;
  if (report.state === 'error') return <ErrorNotice message={report.error.message} />;
  const rows = exportRows(clips.value, report.value.clips, proxies.state === 'ready' ? proxies.value : []);
  const eligible = rows.filter((row) => row.refusal === null);

  const choose = async () => {
    const answer = await callCore('dialog.chooseFolder', { purpose: 'export' });
    if (answer.ok && answer.value.path) setOutDir(answer.value.path);
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setRunning(true);
    setError(null);
    setResult(null);
    setProgress(null);
    setBuilding(null);
    const answer = await callCore('export.proxies', { outDir: outDir.trim(), clipIds: [...selected], ...(recipient.trim() ? { recipient: recipient.trim() } : {}) });
    setRunning(false);
    if (answer.ok) {
      setResult(answer.value);
      setSelected(new Set());
    } else setError(answer.error.message);
    reloadClips();
    reloadReport();
    reloadProxies();
  };

  return (
    <section className="screen export">
      <p className="lede">Only cleared clips leave, as anonymised proxies with a manifest to relink later. Every export is recorded, with its recipient.</p>
      {eligible.length === 0 && (
        <EmptyState title="No cleared clips to export">
          <p>Only clips whose every subject is cleared can leave as anonymised proxies, with a manifest for relinking. Clips that cannot leave are listed with the reason.</p>
        </EmptyState>
      )}
      {rows.length > 0 && (
        <form className="stack" onSubmit={submit} aria-label="Export proxies">
          <ExportClipPicker
            rows={rows}
            selected={selected}
            onToggle={(id) =>
              setSelected((current) => {
                const next = new Set(current);
                if (next.has(id)) next.delete(id);
                else next.add(id);
                return next;
              })
            }
            onSelectAll={(all) => setSelected(all ? new Set(eligible.map((row) => row.clip.id)) : new Set())}
          />
          <div className="row wrap">
            <label className="grow">
              Destination folder (outside the vault)
              <input value={outDir} onChange={(event) => setOutDir(event.target.value)} required autoComplete="off" placeholder="/media/EDITOR-DRIVE/proxies" />
            </label>
            <button type="button" onClick={choose}>
              Choose…
            </button>
            <label className="grow">
              Recipient
              <input value={recipient} onChange={(event) => setRecipient(event.target.value)} maxLength={200} autoComplete="off" placeholder="who receives these files" />
            </label>
          </div>
          <div className="row">
            <button type="submit" className="primary" disabled={running || selected.size === 0 || outDir.trim() === ''}>
              {running ? 'Exporting…' : `Export ${selected.size} ${selected.size === 1 ? 'proxy' : 'proxies'}`}
            </button>
            <span className="hint">{selected.size === 0 ? 'Tick the cleared clips to export.' : 'Proxies out of date are rebuilt first.'}</span>
          </div>
        </form>
      )}
      {running && (
        <div aria-live="polite">
          {building && building.state === 'building' && <ProgressBar label={`Building proxy ${building.code}`} value={building.fraction ?? 0} max={1} detail={building.fps ? `${building.fps.toFixed(0)} fps` : undefined} />}
          <ProgressBar label={progress ? `Writing ${progress.code}` : 'Preparing export'} value={progress?.done ?? 0} max={progress?.total ?? selected.size} />
        </div>
      )}
      {error && <ErrorNotice message={error} />}
      {result && <ExportResultView result={result} />}
    </section>
  );
}
