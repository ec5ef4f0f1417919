import type { SafehouseErrorShape } from '../../shared/errors';

/**
 * The core's messages are shared with the command line, and a few name a command. The window words those
 * in its own terms; every other message is shown as the core wrote it.
 */
const WINDOW_WORDING: Partial<Record<SafehouseErrorShape['code'], string>> = {
  VAULT_NOT_FOUND: 'No Safehouse vault was found in this folder. Check the folder, or create a new vault on the “Create a vault” tab.',
  FONT_MISSING: 'The font for the proxy burn-in is missing from this computer. Reinstall Safehouse, or ask whoever set it up to add the DejaVu fonts.',
};

export function windowMessage(error: SafehouseErrorShape): string {
  return WINDOW_WORDING[error.code] ?? error.message;
}
