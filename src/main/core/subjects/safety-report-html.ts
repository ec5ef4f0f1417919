import { createHash } from 'node:crypto';
import type { ClipSafetyReport, SafetyFix, SafetyReport, SafetyStatus } from '../../../shared/model';

/**
 * The producer's safety report as one self-contained HTML page: inline CSS and SVG, no scripts, no
 * external resources (its CSP forbids both), so it opens offline and cannot call home. It names subjects
 * only by pseudonym and clips by code; real identities never enter it.
 */

const COLORS: Record<SafetyStatus, string> = { cleared: '#2e7d32', 'needs-review': '#a35c00', blocked: '#c62828' };
const LABELS: Record<SafetyStatus, string> = { cleared: 'Cleared', 'needs-review': 'Needs review', blocked: 'Blocked' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function chart(report: SafetyReport): string {
  const rows: [SafetyStatus, number][] = [
    ['cleared', report.counts.cleared],
    ['needs-review', report.counts.needsReview],
    ['blocked', report.counts.blocked],
  ];
  const max = Math.max(1, ...rows.map(([, n]) => n));
  const barWidth = 360;
  const bars = rows
    .map(([status, n], i) => {
      const y = 10 + i * 44;
      const w = n === 0 ? 2 : Math.max(4, Math.round((n / max) * barWidth));
      return `<text x="0" y="${y + 22}" class="label">${LABELS[status]}</text>
  <rect x="130" y="${y}" width="${w}" height="30" rx="3" fill="${COLORS[status]}"/>
  <text x="${130 + w + 8}" y="${y + 21}" class="count">${n}</text>`;
    })
    .join('\n  ');
  const alt = rows.map(([s, n]) => `${n} ${LABELS[s].toLowerCase()}`).join(', ');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="560" height="142" viewBox="0 0 560 142" role="img" aria-label="Clips: ${alt}">
  <title>Clips: ${alt}</title>
  ${bars}
</svg>`;
}

/** The printed report is read away from the app and the command line: plain words, no commands, no ids. */
function fixInWords(fix: SafetyFix, code: string): string {
  switch (fix.action) {
    case 'inspect-quarantined':
      return `Check the original of ${code} with a metadata tool; offload it again in a format Safehouse can clean, or leave it out.`;
    case 'offload-again':
      return 'Offload the card again: verified clips are skipped, this one is retried.';
    case 'finish-offload':
      return 'Let the offload finish, or start it again to resume.';
    case 'record-who-appears':
      return `Watch ${code} and record each person in it, or that nobody identifiable appears.`;
    case 'recall-exports':
      return `Keep ${code} out of the edit and recall every export that contained it; only new written consent reopens it.`;
    case 'leave-out-or-remove-appearance':
      return `Leave ${code} out, or remove the appearance if they are not actually in it.`;
    case 'record-consent':
      return 'Obtain their answer and record their consent.';
    case 'draw-face-regions':
      return `Draw or detect a region track for them in ${code}; until then the proxy hides the whole frame.`;
    case 'confirm-face-tracks':
      return `Check the faces found in ${code} (delete false ones, add missed ones, name known people), then confirm them.`;
    case 'decide-proposals':
      return `A face in ${code} looks like someone already named: accept or reject each proposal.`;
  }
}

function problem(clip: ClipSafetyReport): string {
  const reasons = clip.reasons
    .map((r) => `<li><span class="why">${escapeHtml(r.message)}</span><br><span class="fix"><strong>Fix:</strong> ${escapeHtml(fixInWords(r.fix, clip.code))}</span></li>`)
    .join('\n');
  return `<section class="clip ${clip.safety}">
  <h3><span class="code">${escapeHtml(clip.code)}</span> <span class="badge ${clip.safety}">${LABELS[clip.safety]}</span></h3>
  <ul>${reasons}</ul>
</section>`;
}

/**
 * The report's only style sheet. The page allows exactly this block by its hash (no inline-anything), so
 * a pseudonym or reason smuggling a <style> or style attribute into the page cannot restyle it. The hash
 * covers the element's exact text, so the block is interpolated with nothing around it.
 */
const REPORT_CSS = `
  body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1b1b1b; margin: 2rem auto; max-width: 60rem; padding: 0 1.5rem; }
  h1 { font-size: 1.6rem; margin-bottom: .2rem; }
  .meta { color: #555; margin-top: 0; }
  h2 { font-size: 1.2rem; border-bottom: 2px solid #ddd; padding-bottom: .2rem; margin-top: 2rem; }
  svg .label { font: 15px system-ui, sans-serif; fill: #1b1b1b; }
  svg .count { font: bold 16px system-ui, sans-serif; fill: #1b1b1b; }
  .clip { border-left: 6px solid #999; background: #fafafa; padding: .4rem 1rem; margin: .8rem 0; }
  .clip.blocked { border-color: ${COLORS.blocked}; }
  .clip.needs-review { border-color: ${COLORS['needs-review']}; }
  .clip h3 { margin: .3rem 0; font-size: 1.05rem; }
  .clip ul { margin: .2rem 0 .5rem; padding-left: 1.2rem; }
  .clip li { margin: .35rem 0; }
  .fix { color: #333; }
  .badge { font-size: .8rem; color: #fff; border-radius: 3px; padding: .1rem .45rem; vertical-align: middle; }
  .badge.blocked { background: ${COLORS.blocked}; }
  .badge.needs-review { background: ${COLORS['needs-review']}; }
  .code { font-family: ui-monospace, monospace; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; border-bottom: 1px solid #e2e2e2; padding: .35rem .5rem; vertical-align: top; }
  td.num { text-align: right; }
  .consent.withdrawn { color: ${COLORS.blocked}; font-weight: bold; }
  .consent.pending, .consent.unrecorded { color: ${COLORS['needs-review']}; font-weight: bold; }
  .ok { color: ${COLORS.cleared}; font-weight: bold; }
`;
const REPORT_CSS_HASH = `sha256-${createHash('sha256').update(REPORT_CSS).digest('base64')}`;

export function renderSafetyReportHtml(report: SafetyReport, options: { title?: string } = {}): string {
  const title = options.title ?? 'Safehouse safety report';
  const problems = report.clips.filter((c) => c.safety !== 'cleared').sort((a, b) => rank(a.safety) - rank(b.safety) || a.code.localeCompare(b.code));
  const total = report.clips.length;
  const subjects = report.subjects
    .map(
      (s) => `<tr><td>${escapeHtml(s.pseudonym)}</td><td class="consent ${escapeHtml(s.consent)}">${escapeHtml(s.consent)}</td><td>${escapeHtml(s.protection.join(', ') || 'none')}</td>
<td>${escapeHtml(s.clips.map((c) => c.code).join(', ') || '—')}</td><td class="num">${s.unprotectedClipCount}</td><td>${s.exports.length === 0 ? '—' : escapeHtml(s.exports.map((e) => `${e.createdAt.slice(0, 10)} to ${e.recipient}`).join('; '))}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src '${REPORT_CSS_HASH}'">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="meta">Generated ${escapeHtml(`${report.generatedAt.slice(0, 16).replace('T', ' ')} UTC`)} · ${total} clip${total === 1 ? '' : 's'} · ${report.subjects.length} subject${report.subjects.length === 1 ? '' : 's'}. Subjects are named by pseudonym only.</p>
<h2>Summary</h2>
${chart(report)}
<h2>Problems to fix (${problems.length})</h2>
${problems.length === 0 ? '<p class="ok">Every clip is cleared.</p>' : problems.map(problem).join('\n')}
<h2>Subjects</h2>
${report.subjects.length === 0 ? '<p>No subjects recorded.</p>' : `<table>
<thead><tr><th>Pseudonym</th><th>Consent</th><th>Protection</th><th>Appears in</th><th>Unprotected clips</th><th>Exports containing them</th></tr></thead>
<tbody>
${subjects}
</tbody>
</table>`}
</body>
</html>
`;
}

function rank(status: SafetyStatus): number {
  return status === 'blocked' ? 0 : status === 'needs-review' ? 1 : 2;
}
