import { shell, type Session, type WebContents } from 'electron';
import { originOf } from './app-origin';

/**
 * Hosts a person may be sent to in their browser (help pages). Everything else is refused: a compromised
 * renderer must not be able to open arbitrary URLs, local files or other apps' protocol handlers.
 */
export const externalAllowList = new Set(['safehouse.example.org']);

export function isAllowedExternalUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' && parsed.username === '' && parsed.password === '' && externalAllowList.has(parsed.hostname);
  } catch {
    return false;
  }
}

/** The only way Safehouse opens anything outside itself. */
export async function openExternalSafely(url: string): Promise<boolean> {
  if (!isAllowedExternalUrl(url)) return false;
  await shell.openExternal(new URL(url).toString());
  return true;
}

/** In-app navigation: only to the app's own origin (the renderer is a single page, so this is rare). */
export function isAllowedNavigation(url: string, trusted: readonly string[]): boolean {
  const origin = originOf(url);
  return origin !== null && trusted.includes(origin);
}

/** Denies navigation, redirects, new windows and webviews for one web contents. */
export function lockDownWebContents(contents: WebContents, trusted: readonly string[]): void {
  const denyUnlessTrusted = (event: { preventDefault(): void }, url: string) => {
    if (!isAllowedNavigation(url, trusted)) event.preventDefault();
  };
  contents.on('will-navigate', denyUnlessTrusted);
  contents.on('will-frame-navigate', (event) => denyUnlessTrusted(event, event.url));
  contents.on('will-redirect', denyUnlessTrusted);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/**
 * Safehouse never needs the camera, microphone, location, notifications, USB, HID, serial, or any other
 * browser permission: every request and every check is answered "no".
 */
export function denyAllPermissions(target: Session): void {
  target.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  target.setPermissionCheckHandler(() => false);
  target.setDevicePermissionHandler(() => false);
  target.setDisplayMediaRequestHandler((_request, callback) => callback({}));
}
