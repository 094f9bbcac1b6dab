/**
 * The reception desk's operations on the local store: search, registration with the duplicate and
 * capacity checks, edits (identity fields need a reason), check-in with a queue token, visit
 * status moves, appointments without double booking, and the token slip. Every write is one
 * `store.write` (one outbox group) and tells the sync engine and open screens at once.
 */
import {
  type Appointment,
  appointmentEndTime,
  appointmentTransitions,
  calendarDate,
  canTransition,
  DEFAULT_TIME_ZONE,
  formatToken,
  isProvisionalCode,
  nextStatuses,
  normalizePhone,
  type Patient,
  patientAge,
  patientFullName,
  slotsOverlap,
  usageSummary,
  type Visit,
  type VisitStatus,
  visitTransitionPatch,
  visitTransitions,
} from '@clinicdesk/domain';
import type { LocalStore, LocalWriter, PatientSummary } from '@clinicdesk/local-store';
import { IpcError } from '../../shared/ipc-errors';
import type {
  AppointmentDayView,
  AppointmentView,
  CapacityView,
  DoctorView,
  DuplicateCandidateView,
  PatientDetailView,
  PatientSummaryView,
  QueueEntryView,
  QueueView,
  TokenSlipView,
  VisitHistoryView,
} from '../../shared/reception-views';
import { duplicateReasons } from './duplicate-check';
import { listDoctors } from './staff-directory';

/** Patient fields reception types in (phones as typed; empty strings mean "not given"). */
export interface PatientFields {
  readonly firstName: string;
  readonly lastName: string;
  readonly sex: Patient['sex'];
  readonly ageYears: number | null;
  readonly dateOfBirth: string | null;
  readonly phone: string;
  readonly altPhone: string;
  readonly email: string;
  readonly address: string;
  readonly city: string;
  readonly bloodGroup: Patient['bloodGroup'];
  readonly allergies: string;
  readonly weightKg: number | null;
}

/** Fields whose change a conflicting offline edit refuses (DESIGN §5), and so needs a reason. */
export const IDENTITY_FIELDS = ['firstName', 'lastName', 'dateOfBirth', 'sex', 'ageYears'] as const;

const OPEN_STATUSES: readonly VisitStatus[] = ['waiting', 'with_doctor', 'in_lab'];
const BLOCKING_APPOINTMENT = new Set(['booked', 'arrived']);

export interface ReceptionDeps {
  readonly store: LocalStore;
  readonly now: () => number;
  readonly userId: () => string;
  /** After every committed write: wakes the sync engine and refreshes open screens. */
  readonly wrote: (entities: readonly string[]) => void;
}

function emptyToNull(value: string): string | null {
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

function phoneOrFail(raw: string, field: string): string | null {
  if (raw.trim() === '') return null;
  const normalized = normalizePhone(raw);
  if (normalized === null)
    throw new IpcError('VALIDATION_FAILED', `${field} is not a phone number`, { fields: [field] });
  return normalized;
}

/** Creates the reception service over an open store. */
export function createReceptionService(deps: ReceptionDeps) {
  const { store } = deps;
  const timeZone = () => store.clinicInfo().timezone ?? DEFAULT_TIME_ZONE;
  const nowDate = () => new Date(deps.now());
  const today = () => calendarDate(nowDate(), timeZone());
  const write = <T>(entities: readonly string[], fn: (writer: LocalWriter) => T): T => {
    const { value } = store.write({ userId: deps.userId() }, fn);
    deps.wrote(entities);
    return value;
  };

  const summary = (patient: Patient): PatientSummaryView => ({
    id: patient.id,
    patientCode: patient.patientCode,
    provisionalCode: isProvisionalCode(patient.patientCode),
    fullName: patientFullName(patient),
    ageYears: patientAge(patient, nowDate(), timeZone()),
    sex: patient.sex,
    phone: patient.phone,
    city: patient.city,
  });

  // The queue and appointment rows already carry the patient's summary columns: no second read.
  const summaryOf = (entry: PatientSummary | null): PatientSummaryView | null =>
    entry === null
      ? null
      : {
          id: entry.id,
          patientCode: entry.patientCode ?? '',
          provisionalCode: entry.patientCode !== null && isProvisionalCode(entry.patientCode),
          fullName: entry.fullName,
          ageYears: patientAge(entry, nowDate(), timeZone()),
          sex: entry.sex,
          phone: entry.phone,
          city: null,
        };

  const doctorName = (doctors: readonly DoctorView[], id: string) =>
    doctors.find((doctor) => doctor.id === id)?.displayName ?? '—';

  const historyView = (visit: Visit, doctors: readonly DoctorView[]): VisitHistoryView => ({
    id: visit.id,
    visitDate: visit.visitDate,
    token: visit.tokenNumber === null ? null : formatToken(visit.tokenNumber),
    doctorName: doctorName(doctors, visit.doctorId),
    purpose: visit.purpose,
    status: visit.status,
  });

  const requirePatient = (id: string) => {
    const patient = store.patients.byId(id);
    if (patient === null) throw new IpcError('NOT_FOUND', 'No such patient');
    return patient;
  };

  const requireDoctor = (id: string) => {
    const doctor = listDoctors(store).find((candidate) => candidate.id === id);
    if (doctor === undefined) throw new IpcError('NOT_FOUND', 'No such doctor');
    return doctor;
  };

  const capacity = (): CapacityView => {
    const info = store.clinicInfo();
    const limits = info.limits;
    const usage = info.usage;
    const [line] = usageSummary(
      {
        maxPatients: limits?.patients ?? null,
        maxDoctors: limits?.doctors ?? null,
        maxReceptionists: limits?.receptionists ?? null,
        maxLabTechs: limits?.labTechs ?? null,
      },
      {
        patients: usage?.patients ?? 0,
        doctors: usage?.doctors ?? 0,
        receptionists: usage?.receptionists ?? 0,
        labTechs: usage?.labTechs ?? 0,
      },
      { patients: store.pendingCreateCount('patient') },
    );
    if (line === undefined) throw new Error('usageSummary lost the patients line');
    return {
      used: line.used,
      pending: line.pending,
      limit: line.limit,
      remaining: line.remaining,
      atLimit: line.atLimit,
    };
  };

  const duplicates = (probe: {
    firstName: string;
    lastName: string | null;
    ageYears: number | null;
    dateOfBirth: string | null;
    phone: string | null;
  }): DuplicateCandidateView[] => {
    const ageYears =
      probe.ageYears ??
      (probe.dateOfBirth === null
        ? null
        : patientAge({ dateOfBirth: probe.dateOfBirth, ageYears: null }, nowDate(), timeZone()));
    const candidates = new Map<string, Patient>();
    if (probe.phone !== null)
      for (const patient of store.patients.byPhone(probe.phone)) candidates.set(patient.id, patient);
    // Spelling variants ("Aasha"/"Asha") share the other name or the opening letters of both, so
    // look up each name and a short prefix pair; the similarity rule below decides.
    const first = probe.firstName.trim();
    const last = probe.lastName?.trim() ?? '';
    const queries = [first, last, `${first.slice(0, 2)} ${last.slice(0, 2)}`.trim()].filter(
      (query) => query.length >= 2,
    );
    for (const query of new Set(queries)) {
      for (const { patient } of store.searchPatients(query, { limit: 100 }))
        candidates.set(patient.id, patient);
    }
    const found: DuplicateCandidateView[] = [];
    for (const patient of candidates.values()) {
      const reasons = duplicateReasons(
        { firstName: probe.firstName, lastName: probe.lastName, ageYears, phone: probe.phone },
        { ...patient, ageYears: patientAge(patient, nowDate(), timeZone()) },
      );
      if (reasons.length > 0) found.push({ patient: summary(patient), reasons });
    }
    return found.slice(0, 20);
  };

  const queueEntry = (visit: Visit, patient: PatientSummary | null): QueueEntryView => {
    const checkedIn = Date.parse(visit.checkedInAt);
    const until = visit.startedAt === null ? deps.now() : Date.parse(visit.startedAt);
    return {
      visitId: visit.id,
      token: visit.tokenNumber === null ? null : formatToken(visit.tokenNumber),
      patient: summaryOf(patient),
      purpose: visit.purpose,
      status: visit.status,
      checkedInAt: visit.checkedInAt,
      waitingMinutes: Math.max(0, Math.floor((until - checkedIn) / 60_000)),
      nextStatuses: nextStatuses(visitTransitions, visit.status),
      fromAppointment: visit.appointmentId !== null,
    };
  };

  const appointmentView = (appointment: Appointment, patient: PatientSummary | null): AppointmentView => ({
    id: appointment.id,
    patient: summaryOf(patient),
    doctorId: appointment.doctorId,
    date: appointment.date,
    startTime: appointment.startTime,
    endTime: appointmentEndTime(appointment.startTime, appointment.slotMinutes),
    slotMinutes: appointment.slotMinutes,
    status: appointment.status,
    reason: appointment.reason,
  });

  const assertSlotFree = (
    slot: { doctorId: string; date: string; startTime: string; slotMinutes: number },
    except: string | null,
  ) => {
    const clash = store.appointments
      .byDoctorAndDay(slot.doctorId, slot.date)
      .find(
        ({ appointment }) =>
          appointment.id !== except &&
          BLOCKING_APPOINTMENT.has(appointment.status) &&
          slotsOverlap(appointment, slot),
      );
    if (clash !== undefined) {
      throw new IpcError('SLOT_TAKEN', 'The doctor already has an appointment then', {
        startTime: clash.appointment.startTime,
        endTime: appointmentEndTime(clash.appointment.startTime, clash.appointment.slotMinutes),
      });
    }
  };

  /** Creates a visit (and marks the appointment arrived) in one write; returns the visit id. */
  const checkIn = (input: {
    patientId: string;
    doctorId: string;
    purpose: string;
    appointmentId: string | null;
  }) => {
    requirePatient(input.patientId);
    requireDoctor(input.doctorId);
    const date = today();
    const open = store.visits
      .historyOfPatient(input.patientId, { limit: 20 })
      .find(
        (visit) =>
          visit.visitDate === date &&
          visit.doctorId === input.doctorId &&
          OPEN_STATUSES.includes(visit.status),
      );
    if (open !== undefined)
      throw new IpcError('ALREADY_CHECKED_IN', 'Already in this doctor’s queue today', { visitId: open.id });
    return write(['visit', 'appointment'], (w) => {
      if (input.appointmentId !== null) {
        const appointment = w.get('appointment', input.appointmentId);
        if (appointment === null) throw new IpcError('NOT_FOUND', 'No such appointment');
        if (!canTransition(appointmentTransitions, appointment.status, 'arrived')) {
          throw new IpcError(
            'INVALID_TRANSITION',
            `An appointment that is ${appointment.status} cannot arrive`,
          );
        }
        w.update('appointment', appointment.id, { status: 'arrived' });
      }
      const token = w.nextQueueToken(input.doctorId, date);
      const visit = w.create('visit', {
        id: w.newId(),
        patientId: input.patientId,
        doctorId: input.doctorId,
        visitDate: date,
        tokenNumber: token.tokenNumber,
        purpose: emptyToNull(input.purpose),
        checkedInAt: nowDate().toISOString(),
        appointmentId: input.appointmentId,
      });
      return visit.id;
    });
  };

  return {
    today,
    doctors: () => listDoctors(store),
    capacity,
    duplicates,

    search(query: string, limit: number): PatientSummaryView[] {
      return store.searchPatients(query, { limit }).map((result) => summary(result.patient));
    },

    detail(id: string): PatientDetailView {
      const patient = requirePatient(id);
      const doctors = listDoctors(store);
      const visits = store.visits
        .historyOfPatient(id, { limit: 100 })
        .map((visit) => historyView(visit, doctors));
      const date = today();
      return {
        summary: summary(patient),
        patient,
        visits,
        openVisitToday:
          visits.find((visit) => visit.visitDate === date && OPEN_STATUSES.includes(visit.status)) ?? null,
      };
    },

    register(fields: PatientFields, acknowledged: readonly string[]): PatientSummaryView {
      const phone = phoneOrFail(fields.phone, 'phone');
      const altPhone = phoneOrFail(fields.altPhone, 'altPhone');
      const lastName = emptyToNull(fields.lastName);
      const found = duplicates({
        firstName: fields.firstName,
        lastName,
        ageYears: fields.ageYears,
        dateOfBirth: fields.dateOfBirth,
        phone,
      });
      const unacknowledged = found.filter((candidate) => !acknowledged.includes(candidate.patient.id));
      if (unacknowledged.length > 0) {
        throw new IpcError('DUPLICATE_SUSPECTED', 'Possible duplicate patients', {
          candidates: unacknowledged,
        });
      }
      const room = capacity();
      if (room.limit !== null && room.used + room.pending >= room.limit) {
        throw new IpcError('CAPACITY_REACHED', 'The clinic is at its patient limit', { ...room });
      }
      const year = Number(today().slice(0, 4));
      const patient = write(['patient'], (w) => {
        const id = w.newId();
        return w.create('patient', {
          id,
          patientCode: w.nextPatientCode(year, id).code,
          firstName: fields.firstName.trim(),
          lastName,
          sex: fields.sex,
          ageYears: fields.dateOfBirth === null ? fields.ageYears : null,
          dateOfBirth: fields.dateOfBirth,
          phone,
          altPhone,
          email: emptyToNull(fields.email),
          address: emptyToNull(fields.address),
          city: emptyToNull(fields.city),
          bloodGroup: fields.bloodGroup,
          allergies: emptyToNull(fields.allergies),
          weightKg: fields.weightKg,
          registeredBy: deps.userId(),
        });
      });
      return summary(patient);
    },

    update(id: string, changes: Partial<PatientFields>, reason: string | null): PatientSummaryView {
      const current = requirePatient(id);
      const patch: Record<string, unknown> = {};
      for (const [field, value] of Object.entries(changes)) {
        if (value === undefined) continue;
        if (field === 'phone' || field === 'altPhone') patch[field] = phoneOrFail(String(value), field);
        else if (typeof value === 'string' && field !== 'sex' && field !== 'firstName')
          patch[field] = emptyToNull(value);
        else patch[field] = typeof value === 'string' ? value.trim() : value;
      }
      const identityChanged = IDENTITY_FIELDS.filter(
        (field) => field in patch && patch[field] !== (current[field] ?? null),
      );
      if (identityChanged.length > 0 && (reason === null || reason.trim().length < 3)) {
        throw new IpcError('REASON_REQUIRED', 'Changing identity fields needs a reason', {
          fields: identityChanged,
        });
      }
      // The reason travels with the edit to the server's audit (`sync.push.applied`).
      const updated = write(['patient'], (w) => w.update('patient', id, patch, { reason }));
      return summary(updated);
    },

    queue(): QueueView {
      const date = today();
      return {
        date,
        doctors: listDoctors(store).map((doctor) => ({
          doctor,
          entries: store.visits
            .queueOfDoctor(doctor.id, date)
            .map(({ visit, patient }) => queueEntry(visit, patient)),
        })),
      };
    },

    checkIn,

    setVisitStatus(visitId: string, status: VisitStatus): void {
      const visit = store.visits.byId(visitId);
      if (visit === null) throw new IpcError('NOT_FOUND', 'No such visit');
      const patch = visitTransitionPatch(visit, status, nowDate());
      if (patch === null) throw new IpcError('INVALID_TRANSITION', `${visit.status} cannot become ${status}`);
      write(['visit'], (w) => w.update('visit', visitId, patch));
    },

    appointments(requested: string | null): AppointmentDayView {
      const date = requested ?? today();
      return {
        date,
        today: today(),
        doctors: listDoctors(store).map((doctor) => ({
          doctor,
          appointments: store.appointments
            .byDoctorAndDay(doctor.id, date)
            .map(({ appointment, patient }) => appointmentView(appointment, patient)),
        })),
      };
    },

    book(input: {
      patientId: string;
      doctorId: string;
      date: string;
      startTime: string;
      slotMinutes: number;
      reason: string;
    }): string {
      requirePatient(input.patientId);
      requireDoctor(input.doctorId);
      assertSlotFree(input, null);
      return write(
        ['appointment'],
        (w) =>
          w.create('appointment', {
            id: w.newId(),
            patientId: input.patientId,
            doctorId: input.doctorId,
            date: input.date,
            startTime: input.startTime,
            slotMinutes: input.slotMinutes,
            reason: emptyToNull(input.reason),
          }).id,
      );
    },

    move(input: { id: string; date: string; startTime: string; doctorId: string | null }): void {
      const appointment = store.appointments.byId(input.id);
      if (appointment === null) throw new IpcError('NOT_FOUND', 'No such appointment');
      if (appointment.status !== 'booked')
        throw new IpcError('INVALID_TRANSITION', 'Only booked appointments move');
      const doctorId = input.doctorId ?? appointment.doctorId;
      requireDoctor(doctorId);
      assertSlotFree(
        { doctorId, date: input.date, startTime: input.startTime, slotMinutes: appointment.slotMinutes },
        appointment.id,
      );
      write(['appointment'], (w) =>
        w.update('appointment', appointment.id, { date: input.date, startTime: input.startTime, doctorId }),
      );
    },

    cancel(id: string): void {
      const appointment = store.appointments.byId(id);
      if (appointment === null) throw new IpcError('NOT_FOUND', 'No such appointment');
      if (!canTransition(appointmentTransitions, appointment.status, 'cancelled')) {
        throw new IpcError(
          'INVALID_TRANSITION',
          `An appointment that is ${appointment.status} cannot be cancelled`,
        );
      }
      write(['appointment'], (w) => w.update('appointment', id, { status: 'cancelled' }));
    },

    arrive(id: string, purpose: string): string {
      const appointment = store.appointments.byId(id);
      if (appointment === null) throw new IpcError('NOT_FOUND', 'No such appointment');
      return checkIn({
        patientId: appointment.patientId,
        doctorId: appointment.doctorId,
        purpose: purpose.trim() === '' ? (appointment.reason ?? '') : purpose,
        appointmentId: appointment.id,
      });
    },

    slip(visitId: string): TokenSlipView {
      const visit = store.visits.byId(visitId);
      if (visit === null) throw new IpcError('NOT_FOUND', 'No such visit');
      const patient = requirePatient(visit.patientId);
      const info = store.clinicInfo();
      const profile = info.profile ?? {};
      const text = (key: string) =>
        typeof profile[key] === 'string' && profile[key] !== '' ? String(profile[key]) : null;
      const queue = store.visits.queueOfDoctor(visit.doctorId, visit.visitDate);
      const ahead = queue.filter(
        ({ visit: other }) =>
          other.status === 'waiting' && other.id !== visit.id && other.checkedInAt < visit.checkedInAt,
      ).length;
      return {
        clinicName: info.name ?? '',
        clinicLines: [
          text('address'),
          [text('city'), text('zip')].filter(Boolean).join(' '),
          text('phone'),
        ].filter((line): line is string => line !== null && line !== ''),
        token: visit.tokenNumber === null ? null : formatToken(visit.tokenNumber),
        ahead,
        doctorName: doctorName(listDoctors(store), visit.doctorId),
        patientName: patientFullName(patient),
        patientCode: patient.patientCode,
        ageYears: patientAge(patient, nowDate(), timeZone()),
        sex: patient.sex,
        visitDate: visit.visitDate,
        checkedInAt: visit.checkedInAt,
        purpose: visit.purpose,
      };
    },
  };
}

/** The reception service's type. */
export type ReceptionService = ReturnType<typeof createReceptionService>;
