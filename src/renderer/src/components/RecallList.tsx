import type { ExportRecall } from '../../../shared/model';

/** Every export that held a subject: what the producer must now ask back, clip by clip. */
export function RecallList({ recall, title, lede }: { recall: ExportRecall[]; title: string; lede?: string }) {
  return (
    <section className="recall" aria-label={title}>
      <h3>{title}</h3>
      {lede && <p>{lede}</p>}
      {recall.length === 0 ? (
        <p className="muted">No export has contained them: there is nothing to recall.</p>
      ) : (
        <table className="clip-table">
          <thead>
            <tr>
              <th scope="col">Clip</th>
              <th scope="col">Exported</th>
              <th scope="col">Recipient</th>
            </tr>
          </thead>
          <tbody>
            {recall.flatMap((item) =>
              item.clips.map((clip) => (
                <tr key={`${item.exportId}-${clip.clipId}`}>
                  <td>{clip.code}</td>
                  <td>{new Date(item.createdAt).toLocaleString()}</td>
                  <td>{item.recipient}</td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      )}
    </section>
  );
}
