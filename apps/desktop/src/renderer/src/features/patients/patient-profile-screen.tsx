/**
 * A patient's profile: identity and contact details, today's place in the queue, visit history,
 * and the actions reception takes from here: check in (Alt+I), edit, book an appointment.
 * Editing a name, date of birth, age or sex asks for a reason.
 */
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PatientDetailView } from '../../../../shared/reception-views';
import { useApi, useLive } from '../../api/api-context';
import { fieldLabel } from '../../ui/field-label';
import { ErrorMessage, TextField } from '../../ui/form-controls';
import { invalidFields, useErrorText } from '../../ui/use-error-text';
import { CheckInPanel } from '../check-in/check-in-panel';
import { TokenSlipDialog } from '../check-in/token-slip';
import type { DeskRoute } from '../desk/desk-route';
import { PatientForm, type PatientFormState, patientFieldsOf, patientFormFrom } from './patient-form';
import { ageSex, displayPhone } from './patient-text';

const IDENTITY: readonly (keyof PatientFormState)[] = [
  'firstName',
  'lastName',
  'dateOfBirth',
  'sex',
  'ageYears',
];

function EditPatient({
  detail,
  onDone,
}: {
  readonly detail: PatientDetailView;
  readonly onDone: () => void;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const errorText = useErrorText();
  const original = patientFormFrom(detail.patient);
  const [form, setForm] = useState(original);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const identityChanged = IDENTITY.some((field) => form[field] !== original[field]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const prepared = patientFieldsOf(form);
    if ('invalid' in prepared) return;
    const changes = Object.fromEntries(
      Object.entries(prepared.fields).filter(([field]) => {
        const key = field as keyof PatientFormState;
        return form[key] !== original[key];
      }),
    );
    setBusy(true);
    setError(null);
    try {
      await api.call('patients.update', {
        id: detail.patient.id,
        changes,
        reason: identityChanged ? reason : null,
      });
      onDone();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="panel" onSubmit={submit}>
      <h2>{t('profile.editTitle')}</h2>
      <PatientForm
        form={form}
        onChange={(patch) => setForm((current) => ({ ...current, ...patch }))}
        invalid={invalidFields(error)}
      />
      {identityChanged ? (
        <TextField
          label={`${t('profile.reason')} *`}
          hint={t('profile.reasonHint')}
          value={reason}
          onChange={(event) => setReason(event.target.value)}
          required
          minLength={3}
          invalid={error !== null && reason.trim().length < 3}
        />
      ) : null}
      <ErrorMessage text={errorText(error)} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {t('common.save')}
        </button>
        <button type="button" onClick={onDone}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

/** The profile screen. */
export function PatientProfileScreen({
  patientId,
  checkIn,
  navigate,
  readOnly,
}: {
  readonly patientId: string;
  readonly checkIn: number | undefined;
  readonly navigate: (route: DeskRoute) => void;
  readonly readOnly: boolean;
}) {
  const { t } = useTranslation();
  const detail = useLive(
    (api) => api.call('patients.get', { id: patientId }),
    (event) =>
      event.type === 'data' && (event.entities.includes('patient') || event.entities.includes('visit')),
    [patientId],
  );
  const [mode, setMode] = useState<'view' | 'edit' | 'check-in'>(checkIn === undefined ? 'view' : 'check-in');
  const [slipFor, setSlipFor] = useState<string | null>(null);

  useEffect(() => {
    if (checkIn !== undefined) setMode('check-in');
  }, [checkIn]);

  const view = detail.data;
  if (view === null) return <p className="loading">{t('app.loading')}</p>;
  const { summary, patient } = view;
  const facts: [string, string | null][] = [
    ['phone', displayPhone(patient.phone)],
    ['altPhone', displayPhone(patient.altPhone)],
    ['dateOfBirth', patient.dateOfBirth],
    ['city', patient.city],
    ['address', patient.address],
    ['bloodGroup', patient.bloodGroup],
    ['allergies', patient.allergies],
    ['weightKg', patient.weightKg === null ? null : String(patient.weightKg)],
    ['email', patient.email],
  ];

  return (
    <div className="profile">
      <div className="page-head">
        <h1>{summary.fullName}</h1>
        <span className="badge" data-testid="patient-code">
          {summary.patientCode}
        </span>
        {summary.provisionalCode ? <span className="muted">{t('profile.provisional')}</span> : null}
        <span>{ageSex(t, summary)}</span>
        <span className="spacer" />
        <button
          type="button"
          className="primary"
          aria-keyshortcuts="Alt+I"
          disabled={readOnly}
          onClick={() => setMode('check-in')}
        >
          {t('profile.checkIn')} <kbd>Alt+I</kbd>
        </button>
        <button type="button" disabled={readOnly} onClick={() => setMode('edit')}>
          {t('profile.edit')}
        </button>
        <button
          type="button"
          disabled={readOnly}
          onClick={() => navigate({ screen: 'appointments', patientId })}
        >
          {t('profile.book')}
        </button>
      </div>
      {view.openVisitToday === null ? null : (
        <p className="success" data-testid="in-queue">
          {t('profile.inQueue', {
            token: view.openVisitToday.token ?? '—',
            doctor: view.openVisitToday.doctorName,
            status: t(`visitStatus.${view.openVisitToday.status}`),
          })}{' '}
          <button type="button" className="link" onClick={() => setSlipFor(view.openVisitToday?.id ?? null)}>
            {t('profile.reprint')}
          </button>
        </p>
      )}
      {mode === 'check-in' ? (
        <CheckInPanel
          patientId={patientId}
          readOnly={readOnly}
          onCancel={() => setMode('view')}
          onCheckedIn={(visitId) => {
            setMode('view');
            setSlipFor(visitId);
          }}
        />
      ) : null}
      {mode === 'edit' ? (
        <EditPatient detail={view} onDone={() => setMode('view')} />
      ) : (
        <section className="panel">
          <dl className="facts">
            {facts
              .filter((fact): fact is [string, string] => fact[1] !== null && fact[1] !== '')
              .map(([field, value]) => (
                <div key={field} className="fact">
                  <dt>{fieldLabel(t, field)}</dt>
                  <dd>{value}</dd>
                </div>
              ))}
          </dl>
        </section>
      )}
      <section className="panel">
        <h2>{t('profile.history')}</h2>
        {view.visits.length === 0 ? (
          <p className="muted">{t('profile.noVisits')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{fieldLabel(t, 'visitDate')}</th>
                <th scope="col">{fieldLabel(t, 'tokenNumber')}</th>
                <th scope="col">{fieldLabel(t, 'doctorId')}</th>
                <th scope="col">{fieldLabel(t, 'purpose')}</th>
                <th scope="col">{fieldLabel(t, 'status')}</th>
              </tr>
            </thead>
            <tbody>
              {view.visits.map((visit) => (
                <tr key={visit.id}>
                  <td className="num">{visit.visitDate}</td>
                  <td className="num">{visit.token ?? '—'}</td>
                  <td>{visit.doctorName}</td>
                  <td>{visit.purpose ?? ''}</td>
                  <td>
                    <span className={`badge badge-${visit.status}`}>{t(`visitStatus.${visit.status}`)}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {slipFor === null ? null : <TokenSlipDialog visitId={slipFor} onClose={() => setSlipFor(null)} />}
    </div>
  );
}
