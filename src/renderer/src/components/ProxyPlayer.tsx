import { ProxyGate } from './ProxyGate';

/**
 * Plays the clip's anonymised proxy, streamed from the vault and decrypted in memory by the core
 * (`/media/proxy/<id>` on the app's own origin). Never the master: what plays here is what an editor gets.
 * The gate asks the core first, so the window never requests a proxy that is not made yet.
 */
export function ProxyPlayer({ clipId }: { clipId: string }) {
  return (
    <ProxyGate clipId={clipId} placeholder={(message) => <p className="muted" role="status">{message}</p>}>
      <video key={clipId} className="proxy-player" src={`/media/proxy/${clipId}`} controls preload="metadata">
        <track kind="captions" />
      </video>
    </ProxyGate>
  );
}
