/**
 * Today's queue, one column per doctor: token, patient, purpose, waiting time and status, with the
 * next moves the visit's state machine allows (waiting → with doctor → lab → done, or cancelled).
 * Check-ins made at other desks appear by themselves: the sync engine's live poke pulls them and
 * the store tells this screen which records changed.
 */

import type { VisitStatus } from '@clinicdesk/domain';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { QueueEntryView } from '../../../../shared/reception-views';
import { useApi, useLive } from '../../api/api-context';
import { ErrorMessage } from '../../ui/form-controls';
import { useErrorText } from '../../ui/use-error-text';
import { useFormat } from '../../ui/use-format';
import { TokenSlipDialog } from '../check-in/token-slip';
import type { DeskRoute } from '../desk/desk-route';
import { ageSex } from '../patients/patient-text';

const FINISHED: readonly VisitStatus[] = ['done', 'cancelled', 'no_show'];

function QueueRow({
  entry,
  readOnly,
  navigate,
  onError,
  onSlip,
}: {
  readonly entry: QueueEntryView;
  readonly readOnly: boolean;
  readonly navigate: (route: DeskRoute) => void;
  readonly onError: (error: unknown) => void;
  readonly onSlip: (visitId: string) => void;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const patient = entry.patient;
  return (
    <li className={`queue-entry status-${entry.status}`} data-testid="queue-entry">
      <span className="queue-token">
        <span className="visually-hidden">{t('slip.token')} </span>
        {entry.token ?? '—'}
      </span>
      <div className="queue-main">
        {patient === null ? (
          <span className="muted">{t('queue.patientSyncing')}</span>
        ) : (
          <button
            type="button"
            className="link queue-patient"
            onClick={() => navigate({ screen: 'patient', patientId: patient.id })}
          >
            {patient.fullName}
          </button>
        )}
        <div className="muted small">
          {patient === null ? '' : `${patient.patientCode} · ${ageSex(t, patient)}`}
          {entry.purpose === null ? '' : ` · ${entry.purpose}`}
        </div>
        <div className="queue-meta">
          <span className={`badge badge-${entry.status}`}>{t(`visitStatus.${entry.status}`)}</span>
          {entry.status === 'waiting' || entry.status === 'with_doctor' ? (
            <span className="small">{t('queue.waited', { count: entry.waitingMinutes })}</span>
          ) : null}
          {entry.fromAppointment ? <span className="small muted">{t('queue.fromAppointment')}</span> : null}
        </div>
        {entry.nextStatuses.length > 0 ? (
          <div className="queue-actions">
            {entry.nextStatuses.map((status) => (
              <button
                key={status}
                type="button"
                className={
                  status === 'cancelled' || status === 'no_show' ? 'small-button danger' : 'small-button'
                }
                disabled={readOnly}
                onClick={() =>
                  void api.call('visits.setStatus', { visitId: entry.visitId, status }).catch(onError)
                }
              >
                {t(`visitAction.${status}`)}
              </button>
            ))}
            <button type="button" className="small-button" onClick={() => onSlip(entry.visitId)}>
              {t('queue.slip')}
            </button>
          </div>
        ) : null}
      </div>
    </li>
  );
}

/** The queue screen. */
export function QueueScreen({
  navigate,
  readOnly,
}: {
  readonly navigate: (route: DeskRoute) => void;
  readonly readOnly: boolean;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const errorText = useErrorText();
  const [showFinished, setShowFinished] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [slipFor, setSlipFor] = useState<string | null>(null);
  const queue = useLive(
    (api) => api.call('queue.today', {}),
    (event) =>
      event.type === 'data' &&
      ['visit', 'patient', 'staff', 'appointment'].some((entity) => event.entities.includes(entity)),
    [],
  );
  const { reload } = queue;
  // Waiting times move on even when nothing else changes.
  useEffect(() => {
    const timer = setInterval(reload, 30_000);
    return () => clearInterval(timer);
  }, [reload]);

  const view = queue.data;
  if (view === null) return <p className="loading">{t('app.loading')}</p>;
  const total = view.doctors.reduce(
    (sum, column) => sum + column.entries.filter((entry) => entry.status === 'waiting').length,
    0,
  );

  return (
    <div className="queue">
      <div className="page-head">
        <h1>{t('queue.title')}</h1>
        <span className="muted">{format.longDate(view.date)}</span>
        <span className="badge">{t('queue.waitingTotal', { count: total })}</span>
        <span className="spacer" />
        <label className="check">
          <input
            type="checkbox"
            checked={showFinished}
            onChange={(event) => setShowFinished(event.target.checked)}
          />
          {t('queue.showFinished')}
        </label>
        <button
          type="button"
          className="primary"
          disabled={readOnly}
          onClick={() => navigate({ screen: 'patients', focusSearch: Date.now() })}
        >
          {t('queue.checkInPatient')} <kbd>Alt+I</kbd>
        </button>
      </div>
      <ErrorMessage text={errorText(error)} />
      {view.doctors.length === 0 ? <p className="muted">{t('queue.noDoctors')}</p> : null}
      <div className="queue-columns">
        {view.doctors.map(({ doctor, entries }) => {
          const shown = showFinished ? entries : entries.filter((entry) => !FINISHED.includes(entry.status));
          const waiting = entries.filter((entry) => entry.status === 'waiting').length;
          return (
            <section
              key={doctor.id}
              className="queue-column"
              aria-labelledby={`doctor-${doctor.id}`}
              data-testid="queue-column"
            >
              <header>
                <h2 id={`doctor-${doctor.id}`}>{doctor.displayName}</h2>
                <span className="muted small">
                  {doctor.specialization ?? ''} · {t('queue.waitingCount', { count: waiting })}
                </span>
              </header>
              {shown.length === 0 ? (
                <p className="muted">{t('queue.empty')}</p>
              ) : (
                <ol className="queue-list">
                  {shown.map((entry) => (
                    <QueueRow
                      key={entry.visitId}
                      entry={entry}
                      readOnly={readOnly}
                      navigate={navigate}
                      onError={setError}
                      onSlip={setSlipFor}
                    />
                  ))}
                </ol>
              )}
            </section>
          );
        })}
      </div>
      {slipFor === null ? null : <TokenSlipDialog visitId={slipFor} onClose={() => setSlipFor(null)} />}
    </div>
  );
}
