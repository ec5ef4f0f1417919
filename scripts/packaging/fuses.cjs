'use strict';
/**
 * electron-builder `afterPack` hook: flips the Electron fuses of the packaged binary before it is signed and
 * wrapped (AppImage, deb, dmg, nsis). Fuses are bits compiled into the Electron binary that no later code,
 * environment variable or command-line switch can turn back on:
 *
 *  - RunAsNode off: ELECTRON_RUN_AS_NODE would turn the signed app into a plain Node.js that runs any script.
 *  - EnableNodeOptionsEnvironmentVariable off: NODE_OPTIONS=--require … would load code into the main process.
 *  - EnableNodeCliInspectArguments off: --inspect would attach a debugger to the process holding the keys.
 *  - OnlyLoadAppFromAsar on: the app is loaded only from app.asar, not from a planted app/ folder beside it.
 *  - EnableEmbeddedAsarIntegrityValidation on where Electron supports it (macOS, Windows): app.asar is
 *    checked against the hash embedded at package time, so editing its JavaScript stops the app from starting.
 *  - EnableCookieEncryption on, GrantFileProtocolExtraPrivileges off: no secrets in clear cookies, no file://
 *    privileges the app never uses.
 *
 * strictlyRequireAllFuses makes an Electron upgrade that adds a fuse fail the build until it is decided here.
 */
const path = require('node:path');
const { flipFuses, FuseV1Options, FuseVersion } = require('@electron/fuses');

/** Platforms where Electron validates the embedded asar hash (Linux has no such check yet). */
const ASAR_INTEGRITY_PLATFORMS = new Set(['darwin', 'mas', 'win32']);

/** @param {string} platform electron-builder's electronPlatformName */
function fuseConfigFor(platform) {
  return {
    version: FuseVersion.V1,
    strictlyRequireAllFuses: true,
    // Flipping fuses changes the binary; an arm64 macOS build must be ad-hoc re-signed or it will not start.
    resetAdHocDarwinSignature: platform === 'darwin' || platform === 'mas',
    [FuseV1Options.RunAsNode]: false,
    [FuseV1Options.EnableCookieEncryption]: true,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: false,
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: ASAR_INTEGRITY_PLATFORMS.has(platform),
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
    [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  };
}

/**
 * Where the Electron binary carrying the fuse wire is in the packed output.
 * @param {{ electronPlatformName: string, appOutDir: string, packager: { appInfo: { productFilename: string }, executableName?: string } }} context
 */
function electronBinaryPath(context) {
  const { electronPlatformName: platform, appOutDir, packager } = context;
  const product = packager.appInfo.productFilename;
  if (platform === 'darwin' || platform === 'mas') return path.join(appOutDir, `${product}.app`);
  if (platform === 'win32') return path.join(appOutDir, `${product}.exe`);
  return path.join(appOutDir, packager.executableName ?? product);
}

async function afterPack(context) {
  await flipFuses(electronBinaryPath(context), fuseConfigFor(context.electronPlatformName));
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.fuseConfigFor = fuseConfigFor;
module.exports.electronBinaryPath = electronBinaryPath;
