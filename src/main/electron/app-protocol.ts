import { realpath, readFile } from 'node:fs/promises';
import path from 'node:path';
import { appHost, appScheme } from './app-origin';
import { contentSecurityPolicy } from './content-security-policy';

const mimeTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/**
 * Maps an app-protocol URL to a file inside the renderer folder, or null. Rejects anything that could
 * leave it: another host, `..` in any encoding (the URL parser folds `%2e%2e` into `..`, and we also refuse
 * encoded separators), absolute paths, NUL bytes, and symlinks whose real target lies outside.
 */
export async function resolveAppFile(rendererRoot: string, requestUrl: string): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${appScheme}:` || url.host !== appHost) return null;
  const rawPath = url.pathname;
  if (/%2f|%5c|%00/i.test(rawPath)) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter((segment) => segment.length > 0);
  if (segments.some((segment) => segment === '..' || segment === '.')) return null;
  const relative = segments.length === 0 ? 'index.html' : segments.join('/');

  const root = await realpath(rendererRoot);
  const candidate = path.resolve(root, relative);
  if (!isInside(root, candidate)) return null;
  let real: string;
  try {
    real = await realpath(candidate);
  } catch {
    return null;
  }
  return isInside(root, real) ? real : null;
}

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/** Serves media under /media/ (proxy playback from memory); anything else is a renderer file. */
export type MediaResponder = (pathname: string, rangeHeader: string | null) => Promise<Response>;

/** Builds the protocol's response: the file with its type and the CSP header, or a bare 404. */
export async function appProtocolResponse(rendererRoot: string, requestUrl: string, media?: MediaResponder, rangeHeader: string | null = null): Promise<Response> {
  if (media) {
    const url = new URL(requestUrl);
    if (url.protocol === `${appScheme}:` && url.host === appHost && url.pathname.startsWith('/media/')) return media(url.pathname, rangeHeader);
  }
  const file = await resolveAppFile(rendererRoot, requestUrl);
  if (!file) return new Response('Not found', { status: 404 });
  const body = await readFile(file);
  return new Response(new Uint8Array(body), {
    status: 200,
    headers: {
      'content-type': mimeTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
      'content-security-policy': contentSecurityPolicy,
      'x-content-type-options': 'nosniff',
      'cross-origin-opener-policy': 'same-origin',
    },
  });
}
