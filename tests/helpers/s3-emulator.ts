import { promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
// @ts-expect-error -- s3rver ships no type declarations
import S3rver from 's3rver';

/**
 * A real S3 API for tests: s3rver on the loopback (never beyond it), port chosen by the OS, its own
 * folder, stopped and removed by `stop()`. Its fixed credentials are put where the AWS SDK looks for
 * them (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY), as a production setup would.
 */
export interface S3Emulator {
  endpoint: string;
  port: number;
  dir: string;
  stop(): Promise<void>;
}

export async function startS3(buckets: string[]): Promise<S3Emulator> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sh-s3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir, configureBuckets: buckets.map((name) => ({ name })) }) as {
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
  };
  const address = await server.run();
  process.env['AWS_ACCESS_KEY_ID'] = 'S3RVER';
  process.env['AWS_SECRET_ACCESS_KEY'] = 'S3RVER';
  process.env['AWS_REGION'] = 'us-east-1';
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    port: address.port,
    dir,
    async stop() {
      await server.close();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A cable between the client and the emulator: forwards TCP both ways, counts the bytes the client sent,
 * and after `cutAfter` client bytes either is cut (every connection destroyed, new ones refused: a dropped
 * network) or, with `stall`, simply stops forwarding (a hung link; the test then kills the client).
 */
export interface Cable {
  endpoint: string;
  sent(): number;
  stop(): Promise<void>;
}

export async function startCable(targetPort: number, cutAfter = Infinity, mode: 'cut' | 'stall' = 'cut'): Promise<Cable> {
  let sent = 0;
  let cut = false;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    if (cut) {
      if (mode === 'cut') client.destroy();
      return;
    }
    const upstream = net.connect(targetPort, '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    client.on('data', (chunk: Buffer) => {
      if (cut) return;
      sent += chunk.length;
      upstream.write(chunk);
      if (sent >= cutAfter) {
        cut = true;
        if (mode === 'cut') for (const socket of sockets) socket.destroy();
      }
    });
    upstream.on('data', (chunk: Buffer) => void (!cut && client.write(chunk)));
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', close).on('error', close);
    upstream.on('close', close).on('error', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    sent: () => sent,
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
