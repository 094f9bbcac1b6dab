/**
 * This install's settings: language, idle-lock time, the server it talks to and its device
 * registration. One JSON file in the data folder, validated on every read, written atomically
 * (temporary file + rename) and readable by the current OS user only, because it holds the
 * device secret.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { LANGUAGES } from '../../shared/app-views';

/** Ten minutes: the default idle time before the screen locks. */
export const DEFAULT_IDLE_LOCK_SECONDS = 600;

const DeviceRegistration = z.object({
  id: z.uuid(),
  secret: z.string().min(16),
  name: z.string().min(1),
  status: z.enum(['pending', 'approved', 'revoked']),
});

export const DesktopSettings = z.object({
  language: z.enum(LANGUAGES).default('en'),
  idleLockSeconds: z.int().min(10).default(DEFAULT_IDLE_LOCK_SECONDS),
  serverUrl: z.string().nullable().default(null),
  clinicSlug: z.string().nullable().default(null),
  clinicName: z.string().nullable().default(null),
  device: DeviceRegistration.nullable().default(null),
  /** The server's Ed25519 public key (SPKI PEM), pinned at the first online sign-in. */
  signingKeyPem: z.string().nullable().default(null),
});
export type DesktopSettings = z.infer<typeof DesktopSettings>;

export interface SettingsStore {
  read(): DesktopSettings;
  /** Applies `patch`, writes the file and returns the new settings. */
  update(patch: Partial<DesktopSettings>): DesktopSettings;
}

/** Opens (or starts) the settings file `settings.json` in `dataDir`. */
export function openSettingsStore(dataDir: string): SettingsStore {
  const file = join(dataDir, 'settings.json');
  mkdirSync(dirname(file), { recursive: true });
  let current = load(file);
  return {
    read: () => current,
    update(patch) {
      const next = DesktopSettings.parse({ ...current, ...patch });
      const temporary = `${file}.tmp`;
      writeFileSync(temporary, JSON.stringify(next, null, 2), { mode: 0o600 });
      renameSync(temporary, file);
      current = next;
      return next;
    },
  };
}

function load(file: string): DesktopSettings {
  let raw: unknown = {};
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    // A missing file is a fresh install; an unreadable one starts fresh too rather than keeping
    // the app from opening (the device can be registered again).
  }
  const parsed = DesktopSettings.safeParse(raw);
  return parsed.success ? parsed.data : DesktopSettings.parse({});
}
