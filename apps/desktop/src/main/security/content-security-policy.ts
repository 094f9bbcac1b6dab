/**
 * The renderer's Content Security Policy, built in one place for both hosts: the Electron custom
 * protocol sends it as a response header, and the web host sends the same header with every page.
 *
 * Production allows only the app's own origin: no inline scripts or styles, no eval, no remote
 * content, no frames, no forms posting elsewhere. The renderer talks to the main process through
 * the preload bridge (Electron) or same-origin fetch (web host), so `connect-src 'self'` is all it
 * needs. React sets style attributes through the CSSOM, which `style-src 'self'` permits.
 * Only the Vite dev server (hot reload injects inline scripts and a websocket) loosens this.
 */

/** Where the renderer comes from when it is not the production bundle. */
export interface CspOptions {
  /** The Vite dev server's origin (`http://localhost:5173`) during `electron-vite dev`, else null. */
  readonly devServerOrigin?: string | null;
}

/** The CSP directives as an ordered list of [directive, sources]. */
export function cspDirectives(options: CspOptions = {}): [string, string[]][] {
  const dev = options.devServerOrigin ?? null;
  const devSocket = dev === null ? null : dev.replace(/^http/, 'ws');
  return [
    ['default-src', ["'none'"]],
    ['script-src', dev === null ? ["'self'"] : ["'self'", "'unsafe-inline'", dev]],
    ['style-src', dev === null ? ["'self'"] : ["'self'", "'unsafe-inline'", dev]],
    ['img-src', ["'self'", 'data:', 'blob:']],
    ['font-src', ["'self'", 'data:']],
    ['connect-src', dev === null || devSocket === null ? ["'self'"] : ["'self'", dev, devSocket]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
    ['frame-src', ["'none'"]],
    ['object-src', ["'none'"]],
    ['worker-src', ["'none'"]],
    ['manifest-src', ["'none'"]],
  ];
}

/** The CSP header value for the renderer. */
export function contentSecurityPolicy(options: CspOptions = {}): string {
  return cspDirectives(options)
    .map(([directive, sources]) => `${directive} ${sources.join(' ')}`)
    .join('; ');
}

/** Security headers sent with every renderer response (both hosts). */
export function rendererSecurityHeaders(options: CspOptions = {}): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(options),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=()',
  };
}
