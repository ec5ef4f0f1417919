import path from 'node:path';

/** Where an object lives in a vault folder (docs/vault-format.md: objects/<first two hex digits>/<id>). */
export function objectFilePath(vaultDir: string, objectId: string): string {
  return path.join(vaultDir, 'objects', objectId.slice(0, 2), objectId);
}
