/**
 * Appointments per doctor per day: book (no double booking: an overlapping slot is refused),
 * move, cancel, and mark arrival, which turns the appointment into a check-in with a token.
 */

import { addDays } from '@clinicdesk/domain';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppointmentView, PatientSummaryView } from '../../../../shared/reception-views';
import { useApi, useLive } from '../../api/api-context';
import { ErrorMessage, SelectField, TextField } from '../../ui/form-controls';
import { useErrorText } from '../../ui/use-error-text';
import { TokenSlipDialog } from '../check-in/token-slip';
import type { DeskRoute } from '../desk/desk-route';
import { useDoctors } from '../patients/use-doctors';
import { PatientPicker } from './patient-picker';

const DURATIONS = [10, 15, 20, 30, 45, 60] as const;

function BookForm({
  date,
  initialPatientId,
  readOnly,
}: {
  readonly date: string;
  readonly initialPatientId: string | undefined;
  readonly readOnly: boolean;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const errorText = useErrorText();
  const doctors = useDoctors();
  const [patient, setPatient] = useState<PatientSummaryView | null>(null);
  const [doctorId, setDoctorId] = useState('');
  const [day, setDay] = useState(date);
  const [startTime, setStartTime] = useState('10:00');
  const [slotMinutes, setSlotMinutes] = useState(15);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [booked, setBooked] = useState(false);
  const chosenDoctor = doctorId || doctors.data?.[0]?.id || '';

  useEffect(() => setDay(date), [date]);
  useEffect(() => {
    if (initialPatientId === undefined) return;
    void api.call('patients.get', { id: initialPatientId }).then((detail) => setPatient(detail.summary));
  }, [api, initialPatientId]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (patient === null) return;
    setError(null);
    setBooked(false);
    try {
      await api.call('appointments.book', {
        patientId: patient.id,
        doctorId: chosenDoctor,
        date: day,
        startTime,
        slotMinutes,
        reason,
      });
      setBooked(true);
      setPatient(null);
      setReason('');
    } catch (failure) {
      setError(failure);
    }
  };

  return (
    <form className="panel book-form" onSubmit={submit} aria-labelledby="book-title">
      <h2 id="book-title">{t('appointments.book')}</h2>
      <div className="form-grid">
        <div className="wide">
          <PatientPicker value={patient} onChange={setPatient} />
        </div>
        <SelectField
          label={t('fields.doctorId')}
          value={chosenDoctor}
          onChange={(event) => setDoctorId(event.target.value)}
        >
          {(doctors.data ?? []).map((doctor) => (
            <option key={doctor.id} value={doctor.id}>
              {doctor.displayName}
            </option>
          ))}
        </SelectField>
        <TextField
          label={t('fields.date')}
          type="date"
          value={day}
          onChange={(event) => setDay(event.target.value)}
          required
        />
        <TextField
          label={t('fields.startTime')}
          type="time"
          value={startTime}
          onChange={(event) => setStartTime(event.target.value)}
          required
        />
        <SelectField
          label={t('fields.slotMinutes')}
          value={slotMinutes}
          onChange={(event) => setSlotMinutes(Number(event.target.value))}
        >
          {DURATIONS.map((minutes) => (
            <option key={minutes} value={minutes}>
              {t('appointments.minutes', { count: minutes })}
            </option>
          ))}
        </SelectField>
        <TextField
          label={t('fields.reason')}
          value={reason}
          onChange={(event) => setReason(event.target.value)}
          className="wide"
        />
      </div>
      <ErrorMessage text={errorText(error)} />
      {booked ? (
        <p className="success" role="status">
          {t('appointments.booked')}
        </p>
      ) : null}
      <button
        type="submit"
        className="primary"
        disabled={readOnly || patient === null || chosenDoctor === ''}
      >
        {t('appointments.bookButton')}
      </button>
    </form>
  );
}

function AppointmentRow({
  appointment,
  readOnly,
  onError,
  onArrived,
  navigate,
}: {
  readonly appointment: AppointmentView;
  readonly readOnly: boolean;
  readonly onError: (error: unknown) => void;
  readonly onArrived: (visitId: string) => void;
  readonly navigate: (route: DeskRoute) => void;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const [moving, setMoving] = useState(false);
  const [date, setDate] = useState(appointment.date);
  const [time, setTime] = useState(appointment.startTime);
  const booked = appointment.status === 'booked';
  return (
    <li className={`appointment status-${appointment.status}`} data-testid="appointment">
      <span className="appointment-time num">
        {appointment.startTime}–{appointment.endTime}
      </span>
      <div className="appointment-main">
        {appointment.patient === null ? (
          <span className="muted">{t('queue.patientSyncing')}</span>
        ) : (
          <button
            type="button"
            className="link"
            onClick={() =>
              appointment.patient && navigate({ screen: 'patient', patientId: appointment.patient.id })
            }
          >
            {appointment.patient.fullName}
          </button>
        )}
        {appointment.reason === null ? null : <span className="muted small"> · {appointment.reason}</span>}
        <div className="queue-meta">
          <span className={`badge badge-appt-${appointment.status}`}>
            {t(`appointmentStatus.${appointment.status}`)}
          </span>
        </div>
        {booked && moving ? (
          <div className="move-form">
            <label>
              <span className="visually-hidden">{t('fields.date')}</span>
              <input
                type="date"
                value={date}
                aria-label={t('fields.date')}
                onChange={(event) => setDate(event.target.value)}
              />
            </label>
            <label>
              <span className="visually-hidden">{t('fields.startTime')}</span>
              <input
                type="time"
                value={time}
                aria-label={t('fields.startTime')}
                onChange={(event) => setTime(event.target.value)}
              />
            </label>
            <button
              type="button"
              className="small-button"
              onClick={() =>
                void api
                  .call('appointments.move', { id: appointment.id, date, startTime: time, doctorId: null })
                  .then(() => setMoving(false), onError)
              }
            >
              {t('appointments.moveConfirm')}
            </button>
            <button type="button" className="small-button" onClick={() => setMoving(false)}>
              {t('common.cancel')}
            </button>
          </div>
        ) : null}
        {booked && !moving ? (
          <div className="queue-actions">
            <button
              type="button"
              className="small-button primary"
              disabled={readOnly}
              onClick={() =>
                void api
                  .call('appointments.arrive', { id: appointment.id, purpose: '' })
                  .then(({ visitId }) => onArrived(visitId), onError)
              }
            >
              {t('appointments.arrived')}
            </button>
            <button
              type="button"
              className="small-button"
              disabled={readOnly}
              onClick={() => setMoving(true)}
            >
              {t('appointments.move')}
            </button>
            <button
              type="button"
              className="small-button danger"
              disabled={readOnly}
              onClick={() => void api.call('appointments.cancel', { id: appointment.id }).catch(onError)}
            >
              {t('appointments.cancel')}
            </button>
          </div>
        ) : null}
      </div>
    </li>
  );
}

/** The appointments screen. */
export function AppointmentsScreen({
  patientId,
  navigate,
  readOnly,
}: {
  readonly patientId: string | undefined;
  readonly navigate: (route: DeskRoute) => void;
  readonly readOnly: boolean;
}) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [date, setDate] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [slipFor, setSlipFor] = useState<string | null>(null);
  const day = useLive(
    (api) => api.call('appointments.day', { date }),
    (event) =>
      event.type === 'data' &&
      ['appointment', 'patient', 'staff', 'visit'].some((entity) => event.entities.includes(entity)),
    [date],
  );
  const view = day.data;
  if (view === null) return <p className="loading">{t('app.loading')}</p>;
  // Until the user picks a day, the main process answers with the clinic's today.
  const shown = view.date;

  return (
    <div className="appointments">
      <div className="page-head">
        <h1>{t('appointments.title')}</h1>
        <button
          type="button"
          aria-label={t('appointments.previousDay')}
          onClick={() => setDate(addDays(shown, -1))}
        >
          ‹
        </button>
        <input
          type="date"
          value={shown}
          aria-label={t('fields.date')}
          onChange={(event) => event.target.value && setDate(event.target.value)}
        />
        <button
          type="button"
          aria-label={t('appointments.nextDay')}
          onClick={() => setDate(addDays(shown, 1))}
        >
          ›
        </button>
        {shown === view.today ? null : (
          <button type="button" className="link" onClick={() => setDate(view.today)}>
            {t('appointments.today')}
          </button>
        )}
      </div>
      <ErrorMessage text={errorText(error)} />
      <div className="appointments-layout">
        <BookForm date={shown} initialPatientId={patientId} readOnly={readOnly} />
        <div className="queue-columns">
          {view.doctors.map(({ doctor, appointments }) => (
            <section key={doctor.id} className="queue-column" aria-labelledby={`appt-doctor-${doctor.id}`}>
              <header>
                <h2 id={`appt-doctor-${doctor.id}`}>{doctor.displayName}</h2>
                <span className="muted small">{t('appointments.count', { count: appointments.length })}</span>
              </header>
              {appointments.length === 0 ? (
                <p className="muted">{t('appointments.none')}</p>
              ) : (
                <ol className="queue-list">
                  {appointments.map((appointment) => (
                    <AppointmentRow
                      key={appointment.id}
                      appointment={appointment}
                      readOnly={readOnly}
                      onError={setError}
                      onArrived={setSlipFor}
                      navigate={navigate}
                    />
                  ))}
                </ol>
              )}
            </section>
          ))}
        </div>
      </div>
      {slipFor === null ? null : <TokenSlipDialog visitId={slipFor} onClose={() => setSlipFor(null)} />}
    </div>
  );
}
