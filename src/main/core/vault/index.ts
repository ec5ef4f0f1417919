export {
  createVault, unlockVault, isVault, fingerprintWords, readRecipientCard,
  type CreateVaultOptions, type KeyClass, type ObjectWriter, type RecipientCard, type UnlockedVault, type VaultInfo, type VaultKind,
} from './vault';
// For the sync layer: carry the panic record to HQ and verify it against an enrolled device key.
export { PANIC_FILE, parsePanicRecord, readPanicRecord, verifyPanicRecord, type PanicRecord } from './panic';
