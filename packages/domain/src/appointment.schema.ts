/**
 * An appointment: a booked slot with a doctor. On arrival reception checks the patient in, which
 * creates a visit pointing back at the appointment. Times are wall-clock `HH:MM` in the clinic's
 * time zone; a slot never crosses midnight.
 */
import { z } from 'zod';
import { IsoDate, optionalText, TimeOfDay, Uuid } from './common.schema';
import { entityInput, entityPatch, entitySchema } from './sync-columns.schema';
import { AppointmentStatus } from './workflow-status';

const appointmentFields = {
  patientId: Uuid,
  doctorId: Uuid,
  date: IsoDate,
  startTime: TimeOfDay,
  slotMinutes: z.number().int().min(5).max(480).default(15),
  status: AppointmentStatus.default('booked'),
  reason: optionalText(500),
};

function minutesOfDay(time: string): number {
  const [hours = 0, minutes = 0] = time.split(':').map(Number);
  return hours * 60 + minutes;
}

function endsSameDay(value: { startTime: string; slotMinutes: number }): boolean {
  return minutesOfDay(value.startTime) + value.slotMinutes <= 24 * 60;
}
const sameDay = { message: 'An appointment must end by midnight', path: ['slotMinutes'] };

/** An appointment. */
export const Appointment = entitySchema(appointmentFields).refine(endsSameDay, sameDay);
export type Appointment = z.infer<typeof Appointment>;

/** Booking an appointment. */
export const AppointmentInput = entityInput(appointmentFields).refine(endsSameDay, sameDay);
export type AppointmentInput = z.input<typeof AppointmentInput>;

/** Editing an appointment (status changes must follow `appointmentTransitions`). */
export const AppointmentPatch = entityPatch(appointmentFields);
export type AppointmentPatch = z.infer<typeof AppointmentPatch>;

/** The `HH:MM` end of a slot starting at `startTime` and lasting `slotMinutes` (24:00 for midnight). */
export function appointmentEndTime(startTime: string, slotMinutes: number): string {
  const end = minutesOfDay(startTime) + slotMinutes;
  return `${String(Math.floor(end / 60)).padStart(2, '0')}:${String(end % 60).padStart(2, '0')}`;
}

/** True when two slots on the same day overlap (touching ends do not overlap). */
export function slotsOverlap(
  a: { startTime: string; slotMinutes: number },
  b: { startTime: string; slotMinutes: number },
): boolean {
  const aStart = minutesOfDay(a.startTime);
  const bStart = minutesOfDay(b.startTime);
  return aStart < bStart + b.slotMinutes && bStart < aStart + a.slotMinutes;
}
