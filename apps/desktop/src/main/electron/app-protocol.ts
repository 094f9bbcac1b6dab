/**
 * Serves the built renderer on `app://clinicdesk/` instead of `file://`: one fixed origin that the
 * IPC sender check and the CSP can name, files confined to the renderer folder, and the security
 * headers on every response.
 */
import { protocol } from 'electron';
import { rendererSecurityHeaders } from '../security/content-security-policy';
import { APP_HOST, APP_SCHEME } from '../security/navigation-policy';
import { readStaticFile } from '../static-files';

/** Must run before `app.whenReady()`: makes `app:` a standard, secure scheme with fetch support. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Answers `app://clinicdesk/<path>` from `rendererDir`. */
export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return new Response('Not found', { status: 404 });
    const file = await readStaticFile(rendererDir, url.pathname);
    if (file === null) return new Response('Not found', { status: 404 });
    return new Response(new Uint8Array(file.body), {
      status: 200,
      headers: { 'content-type': file.contentType, ...rendererSecurityHeaders() },
    });
  });
}
