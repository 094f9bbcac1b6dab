/**
 * The one IPC dispatcher: channel → sender check → access check → zod-validated arguments →
 * handler → envelope. Electron (`electron/ipc-bridge.ts`) and the web host (`web-host/`) both
 * call `dispatch`; neither has its own rules. No Electron import: tests drive it directly.
 */
import {
  type Channel,
  type ChannelAccess,
  type ChannelArgs,
  type IpcResults,
  ipcChannels,
  isChannel,
} from '../../shared/ipc-contract';
import { type IpcEnvelope, IpcError, type IpcErrorBody } from '../../shared/ipc-errors';

/** Who sent a call: the URL of the frame (Electron) or of the page the web host served. */
export interface IpcSender {
  readonly url: string;
}

/** A handler per channel, given validated arguments. */
export type IpcHandlers = {
  readonly [C in Channel]: (args: ChannelArgs<C>) => Promise<IpcResults[C]> | IpcResults[C];
};

export interface IpcRouterOptions {
  /** True when a frame at this URL may call the main process at all. */
  isTrustedSender(url: string): boolean;
  /** Null when the current session may use `access`, else the error to answer with. */
  authorize(access: ChannelAccess, channel: Channel): IpcError | null;
  /** Turns a known non-IPC error (store, network) into an error body; null for unexpected ones. */
  mapError?(error: unknown): IpcErrorBody | null;
  /** Called with every unexpected error (logging); its details never reach the renderer. */
  onUnexpectedError?(channel: string, error: unknown): void;
}

export interface IpcRouter {
  /** Runs one call and answers with an envelope; never throws. */
  dispatch(channel: string, args: unknown, sender: IpcSender): Promise<IpcEnvelope<unknown>>;
}

function failure(error: IpcError): IpcEnvelope<never> {
  return { ok: false, error: error.toBody() };
}

async function runHandler<C extends Channel>(
  handlers: IpcHandlers,
  channel: C,
  raw: unknown,
): Promise<unknown> {
  const parsed = ipcChannels[channel].args.safeParse(raw ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({
      path: issue.path.map(String),
      message: issue.message,
    }));
    throw new IpcError('INVALID_ARGUMENTS', `Invalid arguments for ${channel}`, { issues });
  }
  // `parsed.data` is exactly ChannelArgs<C>; TypeScript cannot narrow the schema union per channel.
  const handler = handlers[channel] as (args: unknown) => unknown;
  return handler(parsed.data);
}

/** Builds the dispatcher over one handler map. */
export function createIpcRouter(handlers: IpcHandlers, options: IpcRouterOptions): IpcRouter {
  return {
    async dispatch(channel, args, sender) {
      if (!options.isTrustedSender(sender.url)) {
        return failure(new IpcError('FORBIDDEN_SENDER', 'This frame may not call ClinicDesk'));
      }
      if (!isChannel(channel)) return failure(new IpcError('UNKNOWN_CHANNEL', `No channel ${channel}`));
      const denied = options.authorize(ipcChannels[channel].access, channel);
      if (denied !== null) return failure(denied);
      try {
        const value = await runHandler(handlers, channel, args);
        return { ok: true, value: value ?? null };
      } catch (error) {
        if (error instanceof IpcError) return failure(error);
        const mapped = options.mapError?.(error) ?? null;
        if (mapped !== null) return { ok: false, error: mapped };
        options.onUnexpectedError?.(channel, error);
        return failure(new IpcError('INTERNAL', 'Something went wrong; the details are in the log'));
      }
    },
  };
}
