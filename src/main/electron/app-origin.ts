/** The renderer is served from this privileged custom scheme, never from file:// (which would expose the disk). */
export const appScheme = 'safehouse';
export const appHost = 'app';
export const appOrigin = `${appScheme}://${appHost}`;
export const appEntryUrl = `${appOrigin}/index.html`;

/**
 * The origin the window may show and accept IPC from. In development electron-vite serves the renderer
 * from a local dev server; that origin is trusted only when the app is not packaged.
 */
export function trustedOrigins(devServerUrl: string | undefined, isPackaged: boolean): string[] {
  const origins = [appOrigin];
  if (devServerUrl && !isPackaged) origins.push(new URL(devServerUrl).origin);
  return origins;
}

/**
 * `scheme://host` of a URL, or null. WHATWG URL reports the origin of custom schemes as "null", so the
 * origin is rebuilt from protocol and host to compare it with the app's own.
 */
export function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    if (!parsed.host) return null;
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return null;
  }
}
