/**
 * Serves bytes held in memory (a sealed original, decrypted for a retry) to ffmpeg and ffprobe over HTTP on
 * 127.0.0.1, with byte ranges: the tools need to seek (an MP4's index is often at its end), a pipe cannot,
 * and the plaintext must never be written to disk. Only one path answers, a random token, and only while the
 * retry runs; nothing listens beyond the loopback.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoopbackSource {
  url: string;
  close(): Promise<void>;
}

/** Pure: the byte range a Range header asks of `size` bytes, or null when it cannot be served. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | null {
  if (!header) return { start: 0, end: size - 1 };
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return null;
  let start: number;
  let end: number;
  if (match[1] === '') {
    start = Math.max(0, size - Number(match[2]));
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  return start <= end && start < size ? { start, end } : null;
}

export async function serveFromMemory(bytes: Buffer, name = 'source'): Promise<LoopbackSource> {
  const route = `/${randomBytes(24).toString('hex')}/${encodeURIComponent(name)}`;
  const server = createServer((request, response) => {
    if (request.url !== route || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404).end();
      return;
    }
    const range = parseRange(request.headers.range, bytes.length);
    if (!range) {
      response.writeHead(416, { 'Content-Range': `bytes */${bytes.length}` }).end();
      return;
    }
    const partial = request.headers.range !== undefined;
    response.writeHead(partial ? 206 : 200, {
      'Accept-Ranges': 'bytes',
      'Content-Length': range.end - range.start + 1,
      ...(partial ? { 'Content-Range': `bytes ${range.start}-${range.end}/${bytes.length}` } : {}),
    });
    if (request.method === 'HEAD') response.end();
    else response.end(bytes.subarray(range.start, range.end + 1));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${route}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
