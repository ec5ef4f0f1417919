/**
 * The renderer's Content-Security-Policy. Kept in one place: the build writes it into index.html as a meta
 * tag and the app protocol also sends it as a header (meta tags cannot carry frame-ancestors).
 *
 * Nothing inline and no eval (a compromised string cannot become code), connect-src 'none' (the page
 * cannot phone home: everything goes through the contract), object-src 'none' (no plugins). Media and
 * images may come only from the app itself and from in-memory blobs the page made.
 */
export const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob:",
  "media-src 'self' blob:",
  "font-src 'self'",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "worker-src 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The meta-tag form written into the built index.html. Scripts are pinned by hash (the build adds the
 * matching `integrity` attribute), which is stricter than 'self': only the exact bundle that was built can
 * run, even if someone drops another .js file into the app folder. Browsers ignore frame-ancestors in a
 * meta tag, so it is left out rather than misleading; the protocol header carries it, and the two policies
 * are enforced together.
 */
export function contentSecurityPolicyMeta(scriptHashes: readonly string[]): string {
  return contentSecurityPolicy
    .split('; ')
    .filter((directive) => !directive.startsWith('frame-ancestors'))
    .map((directive) => (directive.startsWith('script-src') ? `script-src ${scriptHashes.map((hash) => `'${hash}'`).join(' ')}` : directive))
    .join('; ');
}
