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
import { BloodGroup, IsoDate, type Permission, Sex, TimeOfDay, VisitStatus } from '@clinicdesk/domain';
import { z } from 'zod';
import type { AppState, SyncCentreView, SyncView } from './app-views';
import { LANGUAGES } from './app-views';
import type {
  AppointmentDayView,
  CapacityView,
  DoctorView,
  DuplicateCandidateView,
  PatientDetailView,
  PatientSummaryView,
  QueueView,
  TokenSlipView,
} from './reception-views';

/** Who may call a channel. */
export type ChannelAccess = 'public' | 'session' | Permission;

const none = z.strictObject({});
const id = z.uuid();

/** Patient fields as reception types them (phones as typed; empty text means "not given"). */
const patientFieldShape = {
  firstName: z.string().trim().min(1).max(100),
  lastName: z.string().trim().max(100),
  sex: Sex,
  ageYears: z.int().min(0).max(150).nullable(),
  dateOfBirth: IsoDate.nullable(),
  phone: z.string().max(30),
  altPhone: z.string().max(30),
  email: z.string().max(254),
  address: z.string().max(500),
  city: z.string().max(100),
  bloodGroup: BloodGroup.nullable(),
  allergies: z.string().max(1000),
  weightKg: z.number().positive().max(500).nullable(),
};
const PatientFields = z.strictObject(patientFieldShape);

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
  /** First run: connect to the clinic's server and register this computer. */
  'setup.connect': {
    access: 'public',
    args: z.strictObject({
      serverUrl: z.string().trim().min(1).max(2048),
      clinicSlug: z.string().trim().min(1).max(63),
      deviceName: z.string().trim().min(1).max(80),
    }),
  },
  /** Asks the server whether a clinic admin has approved this computer yet. */
  'setup.checkApproval': { access: 'public', args: none },
  /** Forgets the server and this computer's registration (refused while changes wait to sync). */
  'setup.reset': { access: 'public', args: none },
  /** Signs in online, or offline from the cached verifier and grant when the server is unreachable. */
  'session.login': {
    access: 'public',
    args: z.strictObject({
      username: z.string().trim().min(1).max(64),
      password: z.string().min(1).max(256),
    }),
  },
  /** Unlocks the idle-locked screen with the signed-in user's password. */
  'session.unlock': { access: 'public', args: z.strictObject({ password: z.string().min(1).max(256) }) },
  /** Locks the screen now. */
  'session.lock': { access: 'public', args: none },
  /** Signs out (unsynced changes stay in the outbox for the next sign-in). */
  'session.logout': { access: 'public', args: none },
  /** Online state, pending and refused changes, first-sync progress and licence. */
  'sync.status': { access: 'session', args: none },
  /** Syncs now and answers with the status afterwards. */
  'sync.now': { access: 'session', args: none },
  /** Pending and refused change groups with their records. */
  'sync.centre': { access: 'session', args: none },
  /** Resubmits a refused group as a new one, with the user's field fixes (none = as it was). */
  'sync.resubmit': {
    access: 'session',
    args: z.strictObject({
      id: z.uuid(),
      fixes: z
        .array(
          z.strictObject({
            opIndex: z.int().min(0),
            fields: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,63}$/), z.json()),
          }),
        )
        .max(1000)
        .default([]),
    }),
  },
  /** Dismisses a refused group (it stays in the exported history). */
  'sync.dismiss': { access: 'session', args: z.strictObject({ id: z.uuid() }) },
  /** The sync inbox as a JSON document to save or send to support. */
  'sync.export': { access: 'session', args: none },
  /** The clinic's active doctors. */
  'reception.doctors': { access: 'patient.read', args: none },
  /** Search as you type: name (any order, prefixes), phone digits or patient code. */
  'patients.search': {
    access: 'patient.read',
    args: z.strictObject({ query: z.string().max(200), limit: z.int().min(1).max(200).default(50) }),
  },
  /** A patient's profile with visit history. */
  'patients.get': { access: 'patient.read', args: z.strictObject({ id }) },
  /** Existing patients that look like the one being registered. */
  'patients.duplicates': {
    access: 'patient.write',
    args: z.strictObject({
      firstName: z.string().max(100),
      lastName: z.string().max(100),
      ageYears: z.int().min(0).max(150).nullable(),
      dateOfBirth: IsoDate.nullable(),
      phone: z.string().max(30),
    }),
  },
  /** Patients used against the plan's limit. */
  'patients.capacity': { access: 'patient.read', args: none },
  /** Registers a patient; refused while unacknowledged possible duplicates exist. */
  'patients.register': {
    access: 'patient.write',
    args: z.strictObject({ fields: PatientFields, acknowledgedDuplicates: z.array(id).max(50) }),
  },
  /** Edits a patient; a change to name, date of birth, age or sex needs a reason. */
  'patients.update': {
    access: 'patient.write',
    args: z.strictObject({
      id,
      changes: PatientFields.partial(),
      reason: z.string().trim().max(500).nullable(),
    }),
  },
  /** Today's queue by doctor. */
  'queue.today': { access: 'patient.read', args: none },
  /** Checks a patient in to a doctor's queue with a token. */
  'visits.checkIn': {
    access: 'visit.checkin',
    args: z.strictObject({ patientId: id, doctorId: id, purpose: z.string().max(500) }),
  },
  /** Moves a visit along its state machine (waiting → with doctor → lab → done, or cancelled). */
  'visits.setStatus': { access: 'visit.status', args: z.strictObject({ visitId: id, status: VisitStatus }) },
  /** What the token slip of a visit prints. */
  'visits.slip': { access: 'patient.read', args: z.strictObject({ visitId: id }) },
  /** One day's appointments by doctor (null: the clinic's today). */
  'appointments.day': { access: 'patient.read', args: z.strictObject({ date: IsoDate.nullable() }) },
  /** Books an appointment; refused when it overlaps another of the doctor's. */
  'appointments.book': {
    access: 'appointment.write',
    args: z.strictObject({
      patientId: id,
      doctorId: id,
      date: IsoDate,
      startTime: TimeOfDay,
      slotMinutes: z.int().min(5).max(480),
      reason: z.string().max(500),
    }),
  },
  /** Moves a booked appointment to another time (or doctor). */
  'appointments.move': {
    access: 'appointment.write',
    args: z.strictObject({ id, date: IsoDate, startTime: TimeOfDay, doctorId: id.nullable() }),
  },
  /** Cancels a booked appointment. */
  'appointments.cancel': { access: 'appointment.write', args: z.strictObject({ id }) },
  /** The patient arrived: the appointment becomes a check-in. */
  'appointments.arrive': {
    access: 'visit.checkin',
    args: z.strictObject({ id, purpose: z.string().max(500) }),
  },
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
  'setup.connect': AppState;
  'setup.checkApproval': AppState;
  'setup.reset': AppState;
  'session.login': AppState;
  'session.unlock': AppState;
  'session.lock': AppState;
  'session.logout': AppState;
  'sync.status': SyncView;
  'sync.now': SyncView;
  'sync.centre': SyncCentreView;
  'sync.resubmit': SyncCentreView;
  'sync.dismiss': SyncCentreView;
  'sync.export': { readonly fileName: string; readonly content: string };
  'reception.doctors': readonly DoctorView[];
  'patients.search': readonly PatientSummaryView[];
  'patients.get': PatientDetailView;
  'patients.duplicates': readonly DuplicateCandidateView[];
  'patients.capacity': CapacityView;
  'patients.register': PatientSummaryView;
  'patients.update': PatientSummaryView;
  'queue.today': QueueView;
  'visits.checkIn': { readonly visitId: string };
  'visits.setStatus': null;
  'visits.slip': TokenSlipView;
  'appointments.day': AppointmentDayView;
  'appointments.book': { readonly id: string };
  'appointments.move': null;
  'appointments.cancel': null;
  'appointments.arrive': { readonly visitId: string };
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
