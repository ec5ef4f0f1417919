import type { CoreContext, HandlerMap } from '../core-context';
import { readCheckpointFile, exportCheckpoint, verifyAudit } from '../audit/audit-verify';
import { unlockVault } from '../vault/vault';
import { addAppearance, removeAppearance, reviewNoPeople } from './appearances';
import { setConsent } from './consent';
import { buildSafetyReport } from './safety-report';
import { addEvidence, createSubject, getSubject, listSubjects, setProtection } from './subjects';

/** Contract handlers for subjects, consent, appearances, reviews, the safety report and the audit log. */
export function subjectHandlers(context: CoreContext): HandlerMap {
  const { requireVault } = context;
  return {
    'subjects.list': async () => listSubjects(requireVault()),
    'subjects.create': async (input) => createSubject(requireVault(), input),
    'subjects.get': async ({ id }) => getSubject(requireVault(), id),
    'subjects.setConsent': async (input) => setConsent(requireVault(), input),
    'subjects.setProtection': async ({ id, protection }) => setProtection(requireVault(), id, protection),
    'subjects.addEvidence': async ({ id, path, kind }) => addEvidence(requireVault(), id, path, kind),
    'appearances.add': async (input) => addAppearance(requireVault(), input),
    'appearances.remove': async ({ id }) => removeAppearance(requireVault(), id),
    'clips.review': async ({ clipId }) => reviewNoPeople(requireVault(), clipId),
    'safety.report': async () => buildSafetyReport(requireVault()),
    'audit.verify': async ({ checkpointPath }) => {
      const vault = requireVault();
      return verifyAudit(vault, checkpointPath ? { checkpoint: await readCheckpointFile(checkpointPath) } : {});
    },
    // The CLI's `audit verify`: a session of its own that is never adopted, so no unlock entry is appended
    // to the log being checked, and nothing else can be done with it.
    'audit.verifyReadOnly': async ({ dir, passphrase, checkpointPath }) => {
      const checkpoint = checkpointPath ? await readCheckpointFile(checkpointPath) : undefined;
      const session = await unlockVault(dir, passphrase);
      try {
        return await verifyAudit(session, checkpoint ? { checkpoint } : {});
      } finally {
        session.lock();
      }
    },
    'audit.exportCheckpoint': async ({ out }) => exportCheckpoint(requireVault(), out),
  };
}
