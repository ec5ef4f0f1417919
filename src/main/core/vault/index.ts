export {
  createVault, unlockVault, isVault, fingerprintWords, readRecipientCard,
  type CreateVaultOptions, type KeyClass, type ObjectWriter, type RecipientCard, type UnlockedVault, type VaultInfo, type VaultKind,
} from './vault';
