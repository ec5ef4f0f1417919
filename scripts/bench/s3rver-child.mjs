#!/usr/bin/env node
// Starts s3rver (the S3 emulator) on 127.0.0.1 with an OS-chosen port for the sync benchmark, in a process of
// its own so the benchmark's CPU time and memory are Safehouse's alone. Prints {"port": N} once listening;
// stops on SIGTERM.   node scripts/bench/s3rver-child.mjs DIR BUCKET
import S3rver from 's3rver';

const [dir, bucket] = process.argv.slice(2);
const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir, configureBuckets: [{ name: bucket }] });
const address = await server.run();
process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);
process.on('SIGTERM', () => {
  server.close().then(() => process.exit(0));
});
