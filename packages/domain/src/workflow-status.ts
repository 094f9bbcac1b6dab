/**
 * Status state machines for records that move through a workflow. The server refuses an update
 * whose status change is not an edge here (DESIGN §5: "queue / visit status follows its state
 * machine"); screens offer only `nextStatuses`. Terminal statuses have no outgoing edges.
 *
 * Visit (queue entry):  waiting → with_doctor → in_lab → with_doctor … → done
 *   with_doctor → waiting (patient stepped out, called again later); in_lab → done (patient leaves,
 *   results reach the chart later); cancelled from any open status; no_show only from waiting.
 * Appointment: booked → arrived | cancelled | no_show; a late arrival turns no_show into arrived.
 * Lab order: ordered → sample_collected → in_progress → resulted; cancelled before a result.
 * Admission: admitted → under_treatment → discharged | shifted | deceased (also straight from admitted).
 * Follow-up: pending → done | missed | cancelled; a missed follow-up can still be done.
 */
import { z } from 'zod';

/** Status of a visit in the day's queue. */
export const VisitStatus = z.enum(['waiting', 'with_doctor', 'in_lab', 'done', 'cancelled', 'no_show']);
export type VisitStatus = z.infer<typeof VisitStatus>;

/** Status of an appointment. */
export const AppointmentStatus = z.enum(['booked', 'arrived', 'cancelled', 'no_show']);
export type AppointmentStatus = z.infer<typeof AppointmentStatus>;

/** Status of a lab order. */
export const LabOrderStatus = z.enum(['ordered', 'sample_collected', 'in_progress', 'resulted', 'cancelled']);
export type LabOrderStatus = z.infer<typeof LabOrderStatus>;

/** Status of an in-patient admission. */
export const AdmissionStatus = z.enum(['admitted', 'under_treatment', 'discharged', 'shifted', 'deceased']);
export type AdmissionStatus = z.infer<typeof AdmissionStatus>;

/** Status of a scheduled follow-up. */
export const FollowUpStatus = z.enum(['pending', 'done', 'missed', 'cancelled']);
export type FollowUpStatus = z.infer<typeof FollowUpStatus>;

/** Allowed moves: for each status, the statuses it may change to. */
export type TransitionMap<S extends string> = { readonly [K in S]: readonly S[] };

/** Visit (queue) transitions. */
export const visitTransitions = {
  waiting: ['with_doctor', 'cancelled', 'no_show'],
  with_doctor: ['in_lab', 'done', 'waiting', 'cancelled'],
  in_lab: ['with_doctor', 'done', 'cancelled'],
  done: [],
  cancelled: [],
  no_show: [],
} as const satisfies TransitionMap<VisitStatus>;

/** Appointment transitions. */
export const appointmentTransitions = {
  booked: ['arrived', 'cancelled', 'no_show'],
  arrived: [],
  cancelled: [],
  no_show: ['arrived'],
} as const satisfies TransitionMap<AppointmentStatus>;

/** Lab order transitions. */
export const labOrderTransitions = {
  ordered: ['sample_collected', 'in_progress', 'cancelled'],
  sample_collected: ['in_progress', 'resulted', 'cancelled'],
  in_progress: ['resulted', 'cancelled'],
  resulted: [],
  cancelled: [],
} as const satisfies TransitionMap<LabOrderStatus>;

/** Admission transitions. */
export const admissionTransitions = {
  admitted: ['under_treatment', 'discharged', 'shifted', 'deceased'],
  under_treatment: ['discharged', 'shifted', 'deceased'],
  discharged: [],
  shifted: [],
  deceased: [],
} as const satisfies TransitionMap<AdmissionStatus>;

/** Follow-up transitions. */
export const followUpTransitions = {
  pending: ['done', 'missed', 'cancelled'],
  missed: ['done'],
  done: [],
  cancelled: [],
} as const satisfies TransitionMap<FollowUpStatus>;

/** True when `machine` allows moving from `from` to `to` (staying put is not a transition). */
export function canTransition<S extends string>(machine: TransitionMap<S>, from: S, to: S): boolean {
  const allowed: readonly S[] = machine[from];
  return allowed.includes(to);
}

/** The statuses `from` may move to in `machine`. */
export function nextStatuses<S extends string>(machine: TransitionMap<S>, from: S): readonly S[] {
  return machine[from];
}

/** True when `status` has no way out in `machine`. */
export function isTerminalStatus<S extends string>(machine: TransitionMap<S>, status: S): boolean {
  return machine[status].length === 0;
}

/** The visit fields a status change sets. */
export interface VisitProgress {
  status: VisitStatus;
  startedAt: string | null;
  completedAt: string | null;
}

/** The visit fields after moving to `to` at `now`, or null if the move is not allowed; first start and completion are stamped once. */
export function visitTransitionPatch(
  current: VisitProgress,
  to: VisitStatus,
  now: Date,
): VisitProgress | null {
  if (!canTransition(visitTransitions, current.status, to)) return null;
  const at = now.toISOString();
  const startedAt = to === 'with_doctor' && current.startedAt === null ? at : current.startedAt;
  const completedAt =
    isTerminalStatus(visitTransitions, to) && current.completedAt === null ? at : current.completedAt;
  return { status: to, startedAt, completedAt };
}
