/** What the reception screens show: doctors, patients, the queue, appointments, token slips. */
import type { AppointmentStatus, Patient, Sex, VisitStatus } from '@clinicdesk/domain';

/** A doctor patients can be checked in to. */
export interface DoctorView {
  readonly id: string;
  readonly displayName: string;
  readonly specialization: string | null;
}

/** One line of a patient list. */
export interface PatientSummaryView {
  readonly id: string;
  readonly patientCode: string;
  /** True while the code is provisional (the server assigns the final one). */
  readonly provisionalCode: boolean;
  readonly fullName: string;
  readonly ageYears: number | null;
  readonly sex: Sex | null;
  readonly phone: string | null;
  readonly city: string | null;
}

/** A past or current visit on the patient's profile. */
export interface VisitHistoryView {
  readonly id: string;
  readonly visitDate: string;
  readonly token: string | null;
  readonly doctorName: string;
  readonly purpose: string | null;
  readonly status: VisitStatus;
}

/** The patient's profile. */
export interface PatientDetailView {
  readonly summary: PatientSummaryView;
  readonly patient: Patient;
  readonly visits: readonly VisitHistoryView[];
  /** Open visits today (checked in, not finished), to avoid checking in twice. */
  readonly openVisitToday: VisitHistoryView | null;
}

/** Why an existing patient looks like the one being registered. */
export type DuplicateReason = 'same_phone' | 'similar_name_age';

export interface DuplicateCandidateView {
  readonly patient: PatientSummaryView;
  readonly reasons: readonly DuplicateReason[];
}

/** Patients used against the plan's limit ("498 of 500 patients, 2 waiting to sync"). */
export interface CapacityView {
  readonly used: number;
  readonly pending: number;
  readonly limit: number | null;
  readonly remaining: number | null;
  readonly atLimit: boolean;
}

/** One visit in a doctor's queue. */
export interface QueueEntryView {
  readonly visitId: string;
  readonly token: string | null;
  readonly patient: PatientSummaryView | null;
  readonly purpose: string | null;
  readonly status: VisitStatus;
  readonly checkedInAt: string;
  /** Minutes since check-in (until the doctor started, for visits already called in). */
  readonly waitingMinutes: number;
  readonly nextStatuses: readonly VisitStatus[];
  /** Local changes to this visit have not reached the server yet. */
  readonly fromAppointment: boolean;
}

/** Today's queue, doctor by doctor. */
export interface QueueView {
  readonly date: string;
  readonly doctors: readonly {
    readonly doctor: DoctorView;
    readonly entries: readonly QueueEntryView[];
  }[];
}

export interface AppointmentView {
  readonly id: string;
  readonly patient: PatientSummaryView | null;
  readonly doctorId: string;
  readonly date: string;
  readonly startTime: string;
  readonly endTime: string;
  readonly slotMinutes: number;
  readonly status: AppointmentStatus;
  readonly reason: string | null;
}

/** One day's appointments, doctor by doctor. */
export interface AppointmentDayView {
  readonly date: string;
  readonly today: string;
  readonly doctors: readonly {
    readonly doctor: DoctorView;
    readonly appointments: readonly AppointmentView[];
  }[];
}

/** Everything printed on a token slip. */
export interface TokenSlipView {
  readonly clinicName: string;
  readonly clinicLines: readonly string[];
  readonly token: string | null;
  /** Patients waiting ahead of this one in the doctor's queue. */
  readonly ahead: number;
  readonly doctorName: string;
  readonly patientName: string;
  readonly patientCode: string;
  readonly ageYears: number | null;
  readonly sex: Sex | null;
  readonly visitDate: string;
  readonly checkedInAt: string;
  readonly purpose: string | null;
}
