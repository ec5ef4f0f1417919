import { open } from 'node:fs/promises';
import { findCoordinates, findSerials } from './coords-text';
import type { FindingList } from './findings';

const MAX_SIDECAR_BYTES = 32 * 1024 * 1024; // DJI .SRT for an hour of flight is a few MB

// XML attributes / elements naming people or devices (Sony M01.XML, Canon/Panasonic XML, iXML).
const XML_FIELDS = /<(\w+)\b[^>]*?\b(serialNo|serialNumber|modelName|manufacturer|owner|author|creator|operator|userName|person)\s*=\s*"([^"]+)"/gi;
const XML_ELEMENTS = /<(Owner|Author|Creator|Operator|UserName|Person|CameraOperator|Serial\w*|Location\w*|Address|City|Place)\b[^>]*>([^<]+)</gi;

/** Text scan of a sidecar (drone .SRT, camera XML, TXT): coordinates in any notation, serials, names. */
export async function scanSidecar(path: string, file: string, out: FindingList): Promise<void> {
  const handle = await open(path, 'r');
  let text: string;
  try {
    const { size } = await handle.stat();
    const buf = Buffer.alloc(Math.min(size, MAX_SIDECAR_BYTES));
    await handle.read(buf, 0, buf.length, 0);
    text = buf.toString('utf8');
  } finally {
    await handle.close();
  }
  for (const hit of findCoordinates(text)) {
    const f = { category: 'location' as const, source: 'sidecar' as const, field: 'coordinates', value: hit.raw, file };
    out.add({ ...f, ...(hit.lat !== undefined ? { lat: hit.lat } : {}), ...(hit.lon !== undefined ? { lon: hit.lon } : {}) });
  }
  for (const serial of findSerials(text)) out.add({ category: 'device', source: 'sidecar', field: 'serial', value: serial, file });
  for (const m of text.matchAll(XML_FIELDS)) {
    const attr = m[2] ?? '';
    const category = /serial|model|manufacturer/i.test(attr) ? 'device' : 'identity';
    out.add({ category, source: 'sidecar', field: `${m[1]}@${attr}`, value: m[3] ?? '', file });
  }
  for (const m of text.matchAll(XML_ELEMENTS)) {
    const el = m[1] ?? '';
    const category = /serial/i.test(el) ? 'device' : /location|address|city|place/i.test(el) ? 'location' : 'identity';
    out.add({ category, source: 'sidecar', field: el, value: m[2] ?? '', file });
  }
}
