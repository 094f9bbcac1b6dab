import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, cspDirectives, rendererSecurityHeaders } from './content-security-policy';
import {
  APP_ORIGIN,
  isAppUrl,
  mayGrantPermission,
  mayNavigate,
  mayOpenExternally,
} from './navigation-policy';
import { mainWindowOptions, secureWebPreferences } from './web-preferences';

describe('window webPreferences', () => {
  const prefs = secureWebPreferences('/app/out/preload/index.cjs', { devTools: false });

  it('isolates the renderer: context isolation and sandbox on, Node off everywhere', () => {
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
    });
  });

  it('keeps web security on and webviews, insecure content and experimental features off', () => {
    expect(prefs).toMatchObject({
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      devTools: false,
    });
  });

  it('loads the bundled CommonJS preload and nothing else', () => {
    expect(prefs.preload).toBe('/app/out/preload/index.cjs');
    expect(mainWindowOptions('/p.cjs', { devTools: false }).webPreferences).toEqual(
      secureWebPreferences('/p.cjs', { devTools: false }),
    );
  });
});

describe('content security policy', () => {
  const production = contentSecurityPolicy();

  it('allows nothing inline or evaluated in production', () => {
    expect(production).not.toContain('unsafe-inline');
    expect(production).not.toContain('unsafe-eval');
    expect(production).not.toContain('*');
  });

  it('denies by default and allows scripts, styles and connections only from the app itself', () => {
    const directives = new Map(cspDirectives());
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('style-src')).toEqual(["'self'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('form-action')).toEqual(["'none'"]);
  });

  it('is the exact production policy string', () => {
    expect(production).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self' data:; " +
        "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; frame-src 'none'; " +
        "object-src 'none'; worker-src 'none'; manifest-src 'none'",
    );
  });

  it('loosens only for the named dev server during development', () => {
    const dev = contentSecurityPolicy({ devServerOrigin: 'http://localhost:5173' });
    expect(dev).toContain("script-src 'self' 'unsafe-inline' http://localhost:5173");
    expect(dev).toContain('ws://localhost:5173');
    expect(dev).not.toContain('unsafe-eval');
  });

  it('sends the policy with nosniff, no referrer and a locked-down permissions policy', () => {
    const headers = rendererSecurityHeaders();
    expect(headers['content-security-policy']).toBe(production);
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['permissions-policy']).toContain('camera=()');
  });
});

describe('navigation and external links', () => {
  it('recognises only the app origin (and the dev server when running one)', () => {
    expect(isAppUrl(`${APP_ORIGIN}/index.html`)).toBe(true);
    expect(isAppUrl('app://other/index.html')).toBe(false);
    expect(isAppUrl('file:///etc/passwd')).toBe(false);
    expect(isAppUrl('https://example.com/')).toBe(false);
    expect(isAppUrl('')).toBe(false);
    expect(isAppUrl('http://localhost:5173/', null)).toBe(false);
    expect(isAppUrl('http://localhost:5173/', 'http://localhost:5173')).toBe(true);
  });

  it('blocks navigation away from the app', () => {
    expect(mayNavigate(`${APP_ORIGIN}/index.html`)).toBe(true);
    expect(mayNavigate('https://evil.example/phish')).toBe(false);
    expect(mayNavigate('javascript:alert(1)')).toBe(false);
  });

  it('opens only https links on the allow-list, subdomains included', () => {
    expect(mayOpenExternally('https://wa.me/919876543210?text=hi')).toBe(true);
    expect(mayOpenExternally('https://docs.clinicdesk.in/reception')).toBe(true);
    expect(mayOpenExternally('http://wa.me/919876543210')).toBe(false);
    expect(mayOpenExternally('https://wa.me.evil.example/')).toBe(false);
    expect(mayOpenExternally('https://evilwa.me/')).toBe(false);
    expect(mayOpenExternally('https://user:pass@wa.me/')).toBe(false);
    expect(mayOpenExternally('file:///C:/Windows/system32/calc.exe')).toBe(false);
    expect(mayOpenExternally('javascript:alert(1)')).toBe(false);
    expect(mayOpenExternally('not a url')).toBe(false);
  });

  it('refuses every permission request', () => {
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      expect(mayGrantPermission(permission)).toBe(false);
    }
  });
});
