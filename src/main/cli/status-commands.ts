import { promises as fs } from 'node:fs';
import { renderSafetyReportHtml } from '../core/subjects/safety-report-html';
import { exitCodes } from './cli-io';
import { type Command, jsonOption, vaultOptions } from './command';
import { printJson, reportFailure } from './output';
import { requireText } from './subject-commands';
import { unlockForCommand } from './vault-commands';

/** The safety report: per clip and per subject, as JSON/text or as the producer's HTML page. */
export const statusCommands: Command[] = [
  {
    words: ['status'],
    usage: 'safehouse status --vault DIR [--json]',
    summary: 'Safety status of every clip (cleared, needs review, blocked) with what fixes each problem.',
    options: { ...vaultOptions, ...jsonOption },
    async run(context) {
      const failed = await unlockForCommand(context);
      if (failed !== null) return failed;
      const result = await context.safehouse.call('safety.report', {});
      if (!result.ok) return reportFailure(context.io, context.json, result);
      const report = result.value;
      if (context.json) {
        printJson(context.io, { ok: true, ...report });
        return exitCodes.ok;
      }
      const { cleared, needsReview, blocked } = report.counts;
      context.io.stdout(`${cleared} cleared, ${needsReview} need review, ${blocked} blocked.\n`);
      for (const clip of report.clips.filter((c) => c.safety !== 'cleared')) {
        context.io.stdout(`\n${clip.code} (${clip.clipId}): ${clip.safety}\n`);
        for (const reason of clip.reasons) context.io.stdout(`  - ${reason.message}\n    fix: ${reason.fix}\n`);
      }
      return exitCodes.ok;
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
