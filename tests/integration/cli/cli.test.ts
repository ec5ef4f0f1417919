import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, runBuiltCli } from './cli-harness';

describe('safehouse CLI', () => {
  let base: string;
  const env = { SH_PASS: 'correct horse battery staple', WRONG: 'not the right passphrase' };

  beforeAll(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'sh-cli-'));
  });
  afterAll(async () => {
    await fs.rm(base, { recursive: true, force: true });
  });

  it('prints help listing the commands, and its version', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['init', 'unlock-check', 'ingest', 'clips', 'export master']) expect(help.stdout).toContain(command);
    expect(await cli(['--version'])).toMatchObject({ code: 0, stdout: '9.9.9-test\n' });
  });

  it('exits 2 with a clear message on an unknown command or flag', async () => {
    const unknown = await cli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    const flag = await cli(['init', '--vault', base, '--bogus']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/Unknown option '--bogus'/);
    expect(flag.stderr).toContain('Usage: safehouse init');
  });

  it('requires --vault and a passphrase source, and never takes the passphrase as a flag', async () => {
    expect((await cli(['init', '--passphrase-env', 'SH_PASS'], env)).stderr).toContain('--vault DIR is required');
    const noTerminal = await cli(['init', '--vault', path.join(base, 'v0')], env);
    expect(noTerminal.code).toBe(2);
    expect(noTerminal.stderr).toContain('--passphrase-env NAME');
    expect((await cli(['init', '--vault', path.join(base, 'v0'), '--passphrase', 'x'])).code).toBe(2);
    expect((await cli(['init', '--vault', path.join(base, 'v0'), '--passphrase-env', 'UNSET_VARIABLE'], env)).stderr).toContain('UNSET_VARIABLE');
  });

  it('init creates a vault; unlock-check says 0 for the right passphrase and 1 for a wrong one', async () => {
    const dir = path.join(base, 'vault');
    const created = await cli(['init', '--vault', dir, '--passphrase-env', 'SH_PASS', '--json'], env);
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ ok: true, vault: { kind: 'normal', dir } });
    expect(await cli(['unlock-check', '--vault', dir, '--passphrase-env', 'SH_PASS'], env)).toMatchObject({ code: 0 });
    const wrong = await cli(['unlock-check', '--vault', dir, '--passphrase-env', 'WRONG'], env);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('does not open this vault');
  });

  it('init refuses a non-empty folder that is not a vault', async () => {
    const dir = path.join(base, 'not-empty');
    await fs.mkdir(dir);
    await fs.writeFile(path.join(dir, 'holiday.jpg'), 'x');
    const result = await cli(['init', '--vault', dir, '--passphrase-env', 'SH_PASS'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/already holds files/);
    expect(await fs.readdir(dir)).toEqual(['holiday.jpg']);
  });

  it('runs as the built `safehouse` command under plain Node', async () => {
    const result = await runBuiltCli(['--version']);
    const pkg = JSON.parse(await fs.readFile(path.resolve(__dirname, '../../../package.json'), 'utf8')) as { version: string };
    expect(result).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
    expect((await runBuiltCli(['nope'])).code).toBe(2);
  });
});
