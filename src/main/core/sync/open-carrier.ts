import { createFileCarrier } from './file-carrier';
import { parseRemote, type Carrier } from './carrier';
import { createS3Carrier } from './s3-carrier';

/** `--remote` (and `--endpoint` for a self-hosted S3 store) → the carrier that speaks to it. */
export function openCarrier(remote: string, endpoint?: string): Carrier {
  const address = parseRemote(remote);
  if (address.kind === 'file') return createFileCarrier(address.dir, address.label);
  const partMib = Number(process.env['SAFEHOUSE_SYNC_PART_MIB'] ?? '');
  return createS3Carrier({
    bucket: address.bucket,
    prefix: address.prefix,
    label: address.label,
    ...(endpoint ? { endpoint } : {}),
    ...(Number.isFinite(partMib) && partMib > 0 ? { partBytes: partMib * 1024 * 1024 } : {}),
  });
}
