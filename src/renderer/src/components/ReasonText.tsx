import { humanReason } from '../format';

/** A clip's reason in plain words; a tool's raw message, when there is one, only on request. */
export function ReasonText({ reason }: { reason: string }) {
  const { text, detail } = humanReason(reason);
  return (
    <>
      {text}
      {detail && (
        <details className="technical">
          <summary>Technical detail</summary>
          <span className="mono">{detail}</span>
        </details>
      )}
    </>
  );
}
