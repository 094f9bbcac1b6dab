/**
 * A desk for the end-to-end tests: the desktop's main-process services on their own data folder
 * (one folder = one registered computer) served by a web host, exactly as `npm start` does when
 * Electron is not installed.
 */
import { join } from 'node:path';
import { type AppServices, createAppServices } from '../../../apps/desktop/src/main/services/app-services';
import { ensureRendererBuilt } from '../../../apps/desktop/src/web-host/build-renderer';
import { startWebHost, type WebHost } from '../../../apps/desktop/src/web-host/web-host';

export interface Desk {
  readonly dataDir: string;
  /** Address to open (token in the fragment). */
  url(): string;
  origin(): string;
  token(): string;
  /** Closes and reopens the services on the same data folder (an app restart). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** Starts a desk whose data lives in `root/name`, suggesting `serverUrl` on first run. */
export async function startDesk(root: string, name: string, serverUrl: string): Promise<Desk> {
  const rendererDir = await ensureRendererBuilt();
  const dataDir = join(root, name);
  let services: AppServices;
  let host: WebHost;
  const open = async () => {
    services = await createAppServices({
      dataDir,
      host: 'web',
      suggestedServerUrl: serverUrl,
      log: () => undefined,
    });
    host = await startWebHost({ services, rendererDir });
  };
  const close = async () => {
    await host.close();
    await services.close();
  };
  await open();
  return {
    dataDir,
    url: () => host.url,
    origin: () => host.origin,
    token: () => host.token,
    async restart() {
      await close();
      await open();
    },
    close,
  };
}
