import { describe, expect, it } from 'vitest';
import type { SafetyFixAction } from '../../../src/shared/model';
import { fixCommand } from '../../../src/main/cli/safety-fix-words';
import { fixButton } from '../../../src/renderer/src/fix-words';

const ACTIONS: SafetyFixAction[] = ['inspect-quarantined', 'offload-again', 'finish-offload', 'record-who-appears', 'recall-exports', 'leave-out-or-remove-appearance', 'record-consent', 'draw-face-regions', 'confirm-face-tracks', 'decide-proposals'];

describe('each face words a safety fix its own way', () => {
  it.each(ACTIONS)('%s: the CLI names the command with the ids, the window a button that goes there', (action) => {
    const fix = { action, clipId: 'clip123', subjectId: 'subj456' };
    const cli = fixCommand(fix);
    expect(cli.length).toBeGreaterThan(20);
    const button = fixButton(fix, 'C0042');
    expect(button.label.length).toBeGreaterThan(3);
    expect(button.label).not.toMatch(/safehouse|--|clip123|subj456/); // the window never shows ids or commands
    expect(['subjects', 'library', 'offload', 'review']).toContain(button.target.screen);
  });

  it('the CLI fills in the ids a command needs', () => {
    expect(fixCommand({ action: 'record-who-appears', clipId: 'clip123' })).toContain('--clip clip123');
    expect(fixCommand({ action: 'record-consent', subjectId: 'subj456' })).toContain('--subject subj456');
  });

  it('the window opens the subject, or the clip in the subject, that the fix is about', () => {
    expect(fixButton({ action: 'record-consent', subjectId: 's1' }, 'C0001').target).toEqual({ screen: 'subjects', subjectId: 's1' });
    expect(fixButton({ action: 'draw-face-regions', subjectId: 's1', clipId: 'c1' }, 'C0001').target).toEqual({ screen: 'subjects', subjectId: 's1', clipId: 'c1' });
    expect(fixButton({ action: 'inspect-quarantined', clipId: 'c1' }, 'C0001').target).toEqual({ screen: 'library', clipId: 'c1' });
    // A proposed face: the subjects screen finds whom it is proposed as and opens their proposals, that clip first.
    expect(fixButton({ action: 'decide-proposals', clipId: 'c1' }, 'C0001').target).toEqual({ screen: 'subjects', clipId: 'c1', show: 'proposals' });
  });
});
