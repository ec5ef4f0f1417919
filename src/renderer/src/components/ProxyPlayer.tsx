import { useState } from 'react';

/**
 * Plays the clip's anonymised proxy, streamed from the vault and decrypted in memory by the core
 * (`/media/proxy/<id>` on the app's own origin). Never the master: what plays here is what an editor gets.
 */
export function ProxyPlayer({ clipId }: { clipId: string }) {
  const [missing, setMissing] = useState(false);
  if (missing) {
    return <p className="muted">No proxy yet: it is made after the offload, and again whenever consent or protection changes.</p>;
  }
  return (
    <video key={clipId} className="proxy-player" src={`/media/proxy/${clipId}`} controls preload="metadata" onError={() => setMissing(true)}>
      <track kind="captions" />
    </video>
  );
}
