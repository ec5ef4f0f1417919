import { describe, expect, it } from 'vitest';
import { guardStall, runTimeoutMs, spawnTool } from '../../../src/main/core/media/tool-process';
import { runTool } from '../../../src/main/core/media/run-tool';
import { survivors } from '../../integration/ingest/fault-helpers';

const exited = (child: ReturnType<typeof spawnTool>['child']) => new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, signal) => resolve(signal)));

describe('every external tool is bounded', () => {
  it('kills a tool that moves no bytes, with its whole process group', async () => {
    // A shell that starts a child of its own and waits: both are in the tool's process group.
    const tool = spawnTool('/bin/sh', ['-c', 'sleep 30 & echo $!; wait'], ['pipe', 'pipe', 'pipe']);
    let grandchild = 0;
    tool.child.stdout!.once('data', (chunk: Buffer) => (grandchild = Number(chunk.toString().trim())));
    const guard = guardStall(tool, 300);
    const started = Date.now();
    expect(await exited(tool.child)).toBe('SIGKILL');
    expect(guard.stalled()).toBe(true);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(grandchild).toBeGreaterThan(0);
    expect(await survivors([grandchild])).toEqual([]); // gone with its group
  });

  it('leaves a tool alone while it moves bytes', async () => {
    const tool = spawnTool('/bin/sh', ['-c', 'for i in 1 2 3 4 5 6 7 8; do echo tick; sleep 0.1; done'], ['ignore', 'pipe', 'pipe']);
    tool.child.stdout!.resume();
    const guard = guardStall(tool, 400);
    expect(await exited(tool.child)).toBe(null);
    expect(guard.stalled()).toBe(false);
  });

  it('runTool stops a silent tool at its stall timeout and says it timed out', async () => {
    const run = await runTool('/bin/sh', ['-c', 'sleep 30'], { timeoutMs: 60_000, stallMs: 300 });
    expect(run.timedOut).toBe(true);
    expect(run.signal).toBe('SIGKILL');
  });

  it('scales the whole-run timeout with the input and keeps it within what a timer can hold', () => {
    const limits = { stallMs: 1, baseMs: 60_000, minBytesPerSecond: 2 * 1024 * 1024 };
    expect(runTimeoutMs(limits, 0)).toBe(60_000);
    expect(runTimeoutMs(limits, 4 * 1024 ** 3)).toBe(60_000 + 2048_000);
    expect(runTimeoutMs({ ...limits, minBytesPerSecond: 1 }, 1e12)).toBe(2 ** 31 - 1);
  });
});
