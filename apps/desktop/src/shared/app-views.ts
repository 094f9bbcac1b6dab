/**
 * The shapes the main process hands to the renderer. Plain JSON: they cross the preload bridge
 * (structured clone) and the web host (JSON over HTTP) unchanged.
 */
import type { JsonValue, Permission, Role } from '@clinicdesk/domain';

/** Languages of the interface. */
export const LANGUAGES = ['en', 'hi', 'mr'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Which screen family the app is on; the main process decides, the renderer follows. */
export type AppPhase = 'setup' | 'awaiting-approval' | 'sign-in' | 'locked' | 'ready';

/** The signed-in user as screens need them. */
export interface SessionUserView {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  readonly permissions: readonly Permission[];
}

/** Everything the shell needs to pick a screen. */
export interface AppState {
  readonly phase: AppPhase;
  readonly host: 'electron' | 'web';
  readonly language: Language;
  readonly idleLockSeconds: number;
  readonly server: { readonly url: string; readonly clinicSlug: string } | null;
  readonly device: {
    readonly id: string;
    readonly name: string;
    readonly status: 'pending' | 'approved' | 'revoked';
  } | null;
  /** Server address to offer on the first-run screen. */
  readonly suggestedServerUrl: string | null;
  readonly clinicName: string | null;
  readonly user: SessionUserView | null;
  /** Signed in from the cached verifier and offline grant, without the server. */
  readonly signedInOffline: boolean;
}

/** Things that changed in the main process; the renderer refetches what it shows. */
export type AppEvent =
  | { readonly type: 'state' }
  | { readonly type: 'sync' }
  | { readonly type: 'data'; readonly entities: readonly string[] };

/** Why the app is read-only, in the words the banner uses. */
export type ReadOnlyCause = 'expired' | 'lease_expired' | 'upgrade_required' | 'suspended';

/** The clinic's licence as the status bar shows it. */
export interface LicenceView {
  readonly status: 'trial' | 'active' | 'expired' | 'suspended' | null;
  readonly readOnly: ReadOnlyCause | null;
  /** Whole days left in the trial (0 on its last day); null outside a trial. */
  readonly trialDaysLeft: number | null;
  readonly leaseExpiresAt: string | null;
  /** Hours left on the offline licence lease, given only while offline and under two days. */
  readonly leaseHoursLeft: number | null;
}

/** Sync as the status bar and the first-sync screen show it. */
export interface SyncView {
  readonly online: boolean;
  readonly syncing: boolean;
  readonly live: boolean;
  readonly signedInOffline: boolean;
  /** The server refused the remembered password: sign in again to sync. */
  readonly needsOnlineSignIn: boolean;
  /** Local change groups not yet decided by the server. */
  readonly pending: number;
  /** Refused groups waiting in the sync centre. */
  readonly refused: number;
  readonly lastSyncAt: string | null;
  readonly lastError: {
    readonly kind: 'network' | 'server';
    readonly code: string | null;
    readonly message: string;
  } | null;
  readonly firstSync: {
    readonly done: boolean;
    readonly rowsDone: number;
    readonly rowsTotal: number | null;
    /** 0–100, null while the total is unknown. */
    readonly percent: number | null;
  };
  readonly licence: LicenceView;
}

/** A JSON value as records carry it. */
export type FieldValue = JsonValue;

/** One row operation as the sync centre shows it. */
export interface SyncOpView {
  readonly op: 'create' | 'update' | 'delete';
  readonly entity: string;
  readonly id: string;
  /** A human label: the patient's name and code, a visit's patient and token… */
  readonly label: string;
  /** The record as sent (create: every field; update: the changed fields). */
  readonly fields: Readonly<Record<string, FieldValue>>;
}

/** A local change group waiting for the server. */
export interface PendingGroupView {
  readonly mutationId: string;
  readonly seq: number;
  readonly createdAt: string;
  readonly ops: readonly SyncOpView[];
}

/** A group the server refused, waiting for the user. */
export interface RefusedGroupView {
  readonly id: string;
  readonly seq: number;
  readonly code: string;
  readonly message: string;
  readonly details: Readonly<Record<string, FieldValue>> | null;
  readonly createdAt: string | null;
  readonly receivedAt: string;
  readonly ops: readonly SyncOpView[];
}

/** The sync centre: what waits, what was refused, the last error. */
export interface SyncCentreView {
  readonly status: SyncView;
  readonly pending: readonly PendingGroupView[];
  readonly refused: readonly RefusedGroupView[];
}
