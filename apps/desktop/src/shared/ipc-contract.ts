/**
 * The IPC contract: every channel the renderer may call, who may call it and the zod schema of its
 * arguments; `IpcResults` gives each channel's answer. The main process serves this map through
 * Electron IPC and the web host alike (`main/ipc/ipc-router.ts`); the preload and the renderer's
 * `api` client only ever name channels listed here.
 *
 * Invariants:
 * - Arguments are one strict object per call, validated in the main process before any handler
 *   runs; unknown fields are refused.
 * - `access` is checked before validation: `public` (no session needed), `session` (signed in and
 *   unlocked) or a domain permission (also signed in and unlocked).
 * - Answers are plain JSON (see `app-views.ts`).
 */
import type { Permission } from '@clinicdesk/domain';
import { z } from 'zod';
import type { AppState } from './app-views';
import { LANGUAGES } from './app-views';

/** Who may call a channel. */
export type ChannelAccess = 'public' | 'session' | Permission;

const none = z.strictObject({});

/** Every channel, its access rule and its argument schema. */
export const ipcChannels = {
  /** The shell's state: which screen, language, who is signed in. */
  'app.state': { access: 'public', args: none },
  /** Language and idle-lock time of this install. */
  'settings.update': {
    access: 'public',
    args: z.strictObject({
      language: z.enum(LANGUAGES).optional(),
      idleLockSeconds: z
        .int()
        .min(10)
        .max(24 * 3600)
        .optional(),
    }),
  },
  /** The user is active (keyboard or pointer); postpones the idle lock. */
  'session.activity': { access: 'public', args: none },
  /** Opens an allow-listed https link in the system browser. */
  'links.openExternal': { access: 'public', args: z.strictObject({ url: z.string().max(2048) }) },
} as const satisfies Record<string, { access: ChannelAccess; args: z.ZodType }>;

/** A channel name. */
export type Channel = keyof typeof ipcChannels;

/** The validated arguments of a channel. */
export type ChannelArgs<C extends Channel> = z.output<(typeof ipcChannels)[C]['args']>;

/** What a channel's caller passes (before defaults apply). */
export type ChannelInput<C extends Channel> = z.input<(typeof ipcChannels)[C]['args']>;

/** What each channel answers. */
export interface IpcResults {
  'app.state': AppState;
  'settings.update': AppState;
  'session.activity': null;
  'links.openExternal': { readonly openInRenderer: boolean };
}

type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never]
  ? true
  : never;
// Fails to compile when a channel lacks a result type or a result type lacks a channel.
const contractIsComplete: SameKeys<typeof ipcChannels, IpcResults> = true;
void contractIsComplete;

/** True when `name` is a channel of the contract. */
export function isChannel(name: string): name is Channel {
  return Object.hasOwn(ipcChannels, name);
}

/** Every channel name, for the preload's and the routers' allow-lists. */
export const CHANNELS: readonly Channel[] = Object.keys(ipcChannels).filter(isChannel);

/** The one object the preload exposes as `window.clinicdesk` (and the web client imitates). */
export interface ClinicDeskBridge {
  /** Calls a channel; resolves to the envelope, never rejects for application errors. */
  invoke(channel: string, args: unknown): Promise<unknown>;
  /** Subscribes to main-process events; returns the unsubscribe function. */
  onEvent(listener: (event: unknown) => void): () => void;
}
