import { describe, expect, it, vi } from 'vitest';
import type { AppState } from '../../shared/app-views';
import { CHANNELS } from '../../shared/ipc-contract';
import { IpcError } from '../../shared/ipc-errors';
import { createIpcRouter, type IpcHandlers } from './ipc-router';

const APP = 'app://clinicdesk/index.html';

const state: AppState = {
  phase: 'setup',
  host: 'web',
  language: 'en',
  idleLockSeconds: 600,
  server: null,
  device: null,
  suggestedServerUrl: null,
  clinicName: null,
  user: null,
  signedInOffline: false,
};

function setup(overrides: Partial<IpcHandlers> = {}, authorize: () => IpcError | null = () => null) {
  const calls: string[] = [];
  // Channels a test does not exercise answer with an error if they are ever reached.
  const unused = Object.fromEntries(
    CHANNELS.map((channel) => [
      channel,
      () => {
        throw new Error(`${channel} is not part of this test`);
      },
    ]),
  ) as unknown as IpcHandlers;
  const handlers: IpcHandlers = {
    ...unused,
    'app.state': () => {
      calls.push('app.state');
      return state;
    },
    'settings.update': (args) => {
      calls.push(`settings.update ${JSON.stringify(args)}`);
      return state;
    },
    'session.activity': () => null,
    'links.openExternal': () => ({ openInRenderer: true }),
    ...overrides,
  };
  const onUnexpectedError = vi.fn();
  const router = createIpcRouter(handlers, {
    isTrustedSender: (url) => url.startsWith('app://clinicdesk/'),
    authorize,
    onUnexpectedError,
  });
  return { router, calls, onUnexpectedError };
}

describe('IPC router', () => {
  it('runs the handler with validated arguments and wraps the answer', async () => {
    const { router, calls } = setup();
    const answer = await router.dispatch('settings.update', { language: 'mr' }, { url: APP });
    expect(answer).toEqual({ ok: true, value: state });
    expect(calls).toEqual(['settings.update {"language":"mr"}']);
  });

  it('refuses bad arguments before the handler runs', async () => {
    const { router, calls } = setup();
    for (const args of [
      { language: 'fr' },
      { idleLockSeconds: 1 },
      { language: 'en', extra: true },
      'text',
      [1],
    ]) {
      const answer = await router.dispatch('settings.update', args, { url: APP });
      expect(answer.ok).toBe(false);
      if (!answer.ok) expect(answer.error.code).toBe('INVALID_ARGUMENTS');
    }
    expect(calls).toEqual([]);
  });

  it('refuses calls from frames outside the app', async () => {
    const { router, calls } = setup();
    for (const url of ['https://evil.example/', 'file:///tmp/x.html', '', 'app://other/index.html']) {
      const answer = await router.dispatch('app.state', {}, { url });
      expect(answer).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    }
    expect(calls).toEqual([]);
  });

  it('refuses channels that are not in the contract, including prototype names', async () => {
    const { router } = setup();
    for (const channel of ['fs.readFile', '__proto__', 'constructor', 'toString']) {
      expect(await router.dispatch(channel, {}, { url: APP })).toMatchObject({
        ok: false,
        error: { code: 'UNKNOWN_CHANNEL' },
      });
    }
  });

  it('asks the access rule before validating or running', async () => {
    const denied = new IpcError('NOT_SIGNED_IN', 'Sign in first');
    const { router, calls } = setup({}, () => denied);
    expect(await router.dispatch('app.state', {}, { url: APP })).toEqual({
      ok: false,
      error: denied.toBody(),
    });
    expect(calls).toEqual([]);
  });

  it('passes deliberate errors through and hides unexpected ones', async () => {
    const deliberate = setup({
      'app.state': () => {
        throw new IpcError('NOT_FOUND', 'gone', { id: 'x' });
      },
    });
    expect(await deliberate.router.dispatch('app.state', {}, { url: APP })).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'gone', details: { id: 'x' } },
    });

    const unexpected = setup({
      'app.state': () => {
        throw new Error('SQLITE_CORRUPT at /home/reception/secret.sqlite');
      },
    });
    const answer = await unexpected.router.dispatch('app.state', {}, { url: APP });
    expect(answer).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(answer)).not.toContain('secret.sqlite');
    expect(unexpected.onUnexpectedError).toHaveBeenCalledOnce();
  });
});
