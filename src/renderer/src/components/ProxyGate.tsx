import { useEffect, useState, type ReactNode } from 'react';
import type { ProxyStatus } from '../../../shared/model';
import { callCore, onCoreEvent } from '../safehouse';
import { ProgressBar } from './ProgressBar';

type GateState = { state: 'checking' } | { state: 'playable' } | { state: 'absent'; proxy: ProxyStatus | null; fraction: number | null; error?: string };

const playable = (proxy: ProxyStatus | undefined) => proxy?.state === 'ready' || proxy?.state === 'stale';

/**
 * Shows its children (the proxy player) only once the clip has a proxy to stream, so the page never asks
 * for one that is not there; otherwise says why and offers to make it, following proxy.progress events.
 */
export function ProxyGate({ clipId, children, placeholder }: { clipId: string; children: ReactNode; placeholder: (message: ReactNode) => ReactNode }) {
  const [gate, setGate] = useState<GateState>({ state: 'checking' });

  useEffect(() => {
    let current = true;
    const check = async () => {
      const result = await callCore('proxies.status', { clipIds: [clipId] });
      if (!current) return;
      const proxy = result.ok ? result.value[0] : undefined;
      setGate(playable(proxy) ? { state: 'playable' } : { state: 'absent', proxy: proxy ?? null, fraction: proxy?.fraction ?? null, ...(result.ok ? {} : { error: result.error.message }) });
    };
    void check();
    const off = onCoreEvent('proxy.progress', (event) => {
      if (event.clipId !== clipId) return;
      if (event.state === 'done') void check();
      else if (event.state === 'building') setGate((g) => (g.state === 'absent' ? { ...g, fraction: event.fraction ?? g.fraction } : g));
      else if (event.state === 'failed') setGate({ state: 'absent', proxy: null, fraction: null, error: event.error ?? 'Making the proxy failed.' });
    });
    return () => {
      current = false;
      off();
    };
  }, [clipId]);

  if (gate.state === 'playable') return <>{children}</>;
  if (gate.state === 'checking') return <>{placeholder('Looking for the proxy…')}</>;
  const busy = gate.proxy?.state === 'building' || gate.proxy?.state === 'queued' || gate.fraction !== null;
  const make = async () => {
    setGate({ ...gate, proxy: gate.proxy ? { ...gate.proxy, state: 'queued' } : null, fraction: 0 });
    const result = await callCore('proxies.build', { clipIds: [clipId] });
    if (!result.ok) setGate({ state: 'absent', proxy: null, fraction: null, error: result.error.message });
  };
  return (
    <>
      {placeholder(
        <div className="stack">
          {gate.proxy?.state === 'excluded' ? (
            <span>This clip gets no proxy: someone in it must not be shown.</span>
          ) : busy ? (
            <ProgressBar label="Making the anonymised proxy" value={gate.fraction ?? 0} max={1} />
          ) : (
            <>
              <span>{gate.error ?? 'This clip has no proxy yet.'} You can still draw or type the box at a time.</span>
              <button type="button" onClick={() => void make()}>
                Make the proxy now
              </button>
            </>
          )}
        </div>,
      )}
    </>
  );
}
