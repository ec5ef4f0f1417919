import { promises as fs } from 'node:fs';
import { renderSafetyReportHtml } from '../core/subjects/safety-report-html';
import { exitCodes } from './cli-io';
import { type Command, jsonOption, vaultOptions } from './command';
import { printJson, reportFailure } from './output';
import { requireText } from './subject-commands';
import { runUnlockedCall, unlockForCommand } from './vault-commands';
import { fixCommand } from './safety-fix-words';

/** The safety report: per clip and per subject, as JSON/text or as the producer's HTML page. */
export const statusCommands: Command[] = [
  {
    words: ['status'],
    usage: 'safehouse status --vault DIR [--json]',
    summary: 'Safety status of every clip (cleared, needs review, blocked) with what fixes each problem.',
    options: { ...vaultOptions, ...jsonOption },
    async run(context) {
      return runUnlockedCall(context, 'safety.report', {}, {
        text: (report) => {
          const { cleared, needsReview, blocked } = report.counts;
          const problems = report.clips
            .filter((clip) => clip.safety !== 'cleared')
            .map((clip) => `\n${clip.code} (${clip.clipId}): ${clip.safety}\n${clip.reasons.map((reason) => `  - ${reason.message}\n    fix: ${fixCommand(reason.fix)}\n`).join('')}`);
          return `${cleared} cleared, ${needsReview} need review, ${blocked} blocked.\n${problems.join('')}`;
        },
        json: (report) => ({ ok: true, ...report }),
      });
    },
  },
  {
    words: ['safety-report'],
    usage: 'safehouse safety-report --vault DIR --out FILE.html [--json]',
    summary: 'Write the producer’s safety report as a self-contained HTML page (pseudonyms only, no scripts).',
    options: { ...vaultOptions, ...jsonOption, out: { type: 'string' } },
    async run(context) {
      const out = requireText(context.values, 'out');
      const failed = await unlockForCommand(context);
      if (failed !== null) return failed;
      const result = await context.safehouse.call('safety.report', {});
      if (!result.ok) return reportFailure(context.io, context.json, result);
      await fs.writeFile(out, renderSafetyReportHtml(result.value), { mode: 0o600 });
      if (context.json) printJson(context.io, { ok: true, out, counts: result.value.counts });
      else context.io.stdout(`Wrote ${out}\n`);
      return exitCodes.ok;
    },
  },
];
