import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterAll, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const afterPack = require('../../../scripts/packaging/fuses.cjs') as ((context: unknown) => Promise<void>) & {
  fuseConfigFor(platform: string): Record<string, unknown>;
  electronBinaryPath(context: unknown): string;
};

/** The fuse sentinel Electron compiles into its binary, followed by wire version 1 and eight fuses. */
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const FUSE_COUNT = 8;
/** Fuse states as bytes in the wire: ASCII '0' and '1' (as @electron/fuses writes them). */
const FuseState = { DISABLE: 0x30, ENABLE: 0x31 } as const;

/**
 * A synthetic "Electron binary": random-looking bytes around the real sentinel layout, every fuse in the
 * state a stock Electron ships with (RunAsNode, NODE_OPTIONS and --inspect enabled; asar-only disabled).
 * The real binary cannot be downloaded here; the hook and @electron/fuses only ever touch this wire.
 */
function syntheticElectron(): Buffer {
  const stock = [FuseState.ENABLE, FuseState.DISABLE, FuseState.ENABLE, FuseState.ENABLE, FuseState.DISABLE, FuseState.DISABLE, FuseState.DISABLE, FuseState.ENABLE];
  return Buffer.concat([Buffer.alloc(4096, 0x7f), Buffer.from(SENTINEL, 'ascii'), Buffer.from([1, FUSE_COUNT, ...stock]), Buffer.alloc(4096, 0x3c)]);
}

describe('Electron fuses set by the afterPack hook', () => {
  const made: string[] = [];
  afterAll(() => Promise.all(made.map((folder) => rm(folder, { recursive: true, force: true }))));

  async function packedLinuxApp(): Promise<{ context: unknown; binary: string; before: Buffer }> {
    const appOutDir = await mkdtemp(path.join(os.tmpdir(), 'fuses-'));
    made.push(appOutDir);
    const binary = path.join(appOutDir, 'safehouse');
    const before = syntheticElectron();
    await writeFile(binary, before);
    return { context: { electronPlatformName: 'linux', appOutDir, packager: { appInfo: { productFilename: 'Safehouse' }, executableName: 'safehouse' } }, binary, before };
  }

  it('turns off RunAsNode, NODE_OPTIONS and --inspect, and loads the app only from the asar (Linux)', async () => {
    const { context, binary, before } = await packedLinuxApp();
    await afterPack(context);
    const wire = await getCurrentFuseWire(binary);
    expect(wire[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(FuseState.DISABLE);
    // Linux has no embedded asar integrity check: the fuse is left off rather than claiming a protection.
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(FuseState.DISABLE);
    // Only the fuse bytes changed: the rest of the binary is byte for byte the same.
    const after = await readFile(binary);
    const wireStart = 4096 + SENTINEL.length + 2;
    expect(after.subarray(0, wireStart).equals(before.subarray(0, wireStart))).toBe(true);
    expect(after.subarray(wireStart + FUSE_COUNT).equals(before.subarray(wireStart + FUSE_COUNT))).toBe(true);
  });

  it('validates the asar integrity where Electron supports it (Windows; macOS the same)', async () => {
    const appOutDir = await mkdtemp(path.join(os.tmpdir(), 'fuses-win-'));
    made.push(appOutDir);
    await writeFile(path.join(appOutDir, 'Safehouse.exe'), syntheticElectron());
    await afterPack({ electronPlatformName: 'win32', appOutDir, packager: { appInfo: { productFilename: 'Safehouse' } } });
    const wire = await getCurrentFuseWire(path.join(appOutDir, 'Safehouse.exe'));
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE);
    expect(afterPack.fuseConfigFor('darwin')[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true);
    expect(afterPack.fuseConfigFor('darwin')['resetAdHocDarwinSignature']).toBe(true);
  });

  it('finds the binary where electron-builder puts it on each platform', async () => {
    const packager = { appInfo: { productFilename: 'Safehouse' }, executableName: 'safehouse' };
    expect(afterPack.electronBinaryPath({ electronPlatformName: 'linux', appOutDir: '/o', packager })).toBe('/o/safehouse');
    expect(afterPack.electronBinaryPath({ electronPlatformName: 'win32', appOutDir: '/o', packager })).toBe('/o/Safehouse.exe');
    expect(afterPack.electronBinaryPath({ electronPlatformName: 'darwin', appOutDir: '/o', packager })).toBe('/o/Safehouse.app');
  });

  it('fails the build when the binary carries no fuse wire, instead of shipping unfused', async () => {
    const appOutDir = await mkdtemp(path.join(os.tmpdir(), 'fuses-none-'));
    made.push(appOutDir);
    await mkdir(appOutDir, { recursive: true });
    await writeFile(path.join(appOutDir, 'safehouse'), Buffer.alloc(1024, 1));
    await expect(afterPack({ electronPlatformName: 'linux', appOutDir, packager: { appInfo: { productFilename: 'Safehouse' }, executableName: 'safehouse' } })).rejects.toThrow(/sentinel/);
  });

  it('fails the build when Electron adds a fuse nobody decided on', async () => {
    const { context, binary } = await packedLinuxApp();
    const longer = syntheticElectron();
    longer[4096 + SENTINEL.length + 1] = FUSE_COUNT + 1; // a ninth fuse in a future Electron
    await writeFile(binary, longer);
    await expect(afterPack(context)).rejects.toThrow(/strictlyRequireAllFuses/);
  });

  it('the packaging config targets Linux AppImage and deb, macOS and Windows, with the hook and the icon', async () => {
    const config = await readFile(path.join(__dirname, '../../../electron-builder.yml'), 'utf8');
    for (const expected of ['- AppImage', '- deb', 'mac:', 'win:', '- nsis', 'afterPack: scripts/packaging/fuses.cjs', 'icon: resources/icon.png', 'asar: true']) {
      expect(config).toContain(expected);
    }
    const icon = await readFile(path.join(__dirname, '../../../resources/icon.png'));
    expect(icon.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect(icon.readUInt32BE(16)).toBe(512); // width: electron-builder needs at least 512 for macOS
    expect(icon.readUInt32BE(20)).toBe(512);
  });
});
