/**
 * Registering a patient. While typing, possible duplicates (same mobile number, or a similar name
 * with a similar age) appear; saving anyway needs the explicit "this is a different patient" tick.
 * The plan's usage shows above the form ("498 of 500 patients").
 */
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DuplicateCandidateView } from '../../../../shared/reception-views';
import { ApiError } from '../../api/api-client';
import { useApi } from '../../api/api-context';
import { ErrorMessage } from '../../ui/form-controls';
import { invalidFields, useErrorText } from '../../ui/use-error-text';
import type { DeskRoute } from '../desk/desk-route';
import { CapacityLine } from './capacity-line';
import { DuplicateWarning } from './duplicate-warning';
import { emptyPatientForm, PatientForm, type PatientFormState, patientFieldsOf } from './patient-form';

const DUPLICATE_CHECK_DELAY_MS = 300;

function candidatesOf(error: unknown): DuplicateCandidateView[] | null {
  if (!(error instanceof ApiError) || error.code !== 'DUPLICATE_SUSPECTED') return null;
  const { candidates } = error.details;
  // The main process sends DuplicateCandidateView[] in this detail (reception.service `register`).
  return Array.isArray(candidates) ? (candidates as DuplicateCandidateView[]) : null;
}

/** The registration screen. */
export function RegisterScreen({
  navigate,
  readOnly,
}: {
  readonly navigate: (route: DeskRoute) => void;
  readonly readOnly: boolean;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const errorText = useErrorText();
  const [form, setForm] = useState<PatientFormState>(emptyPatientForm);
  const [candidates, setCandidates] = useState<readonly DuplicateCandidateView[]>([]);
  const [acknowledged, setAcknowledged] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [localInvalid, setLocalInvalid] = useState<ReadonlySet<string>>(new Set());
  const [busy, setBusy] = useState(false);

  const { firstName, lastName, ageYears, dateOfBirth, phone } = form;
  useEffect(() => {
    if (firstName.trim().length < 2 && phone.replace(/\D/g, '').length < 10) {
      setCandidates([]);
      return;
    }
    let stale = false;
    const timer = setTimeout(() => {
      const age = Number(ageYears);
      api
        .call('patients.duplicates', {
          firstName,
          lastName,
          ageYears: ageYears.trim() !== '' && Number.isInteger(age) && age >= 0 && age <= 150 ? age : null,
          dateOfBirth: dateOfBirth === '' ? null : dateOfBirth,
          phone,
        })
        .then(
          (found) => {
            if (stale) return;
            setCandidates(found);
            setAcknowledged(false);
          },
          () => undefined,
        );
    }, DUPLICATE_CHECK_DELAY_MS);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [api, firstName, lastName, ageYears, dateOfBirth, phone]);

  const save = async (checkIn: boolean) => {
    const prepared = patientFieldsOf(form);
    if ('invalid' in prepared) {
      setLocalInvalid(new Set(prepared.invalid));
      setError(new ApiError({ code: 'VALIDATION_FAILED', message: 'Check the highlighted fields' }));
      return;
    }
    setLocalInvalid(new Set());
    setBusy(true);
    setError(null);
    try {
      const patient = await api.call('patients.register', {
        fields: prepared.fields,
        acknowledgedDuplicates: acknowledged ? candidates.map((candidate) => candidate.patient.id) : [],
      });
      navigate({ screen: 'patient', patientId: patient.id, ...(checkIn ? { checkIn: Date.now() } : {}) });
    } catch (failure) {
      const found = candidatesOf(failure);
      if (found !== null) {
        setCandidates(found);
        setAcknowledged(false);
      }
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save(true);
  };
  const invalid = new Set([...invalidFields(error), ...localInvalid]);

  return (
    <form className="panel register" onSubmit={submit}>
      <div className="page-head">
        <h1>{t('register.title')}</h1>
        <span className="spacer" />
        <CapacityLine />
      </div>
      <PatientForm
        form={form}
        onChange={(patch) => setForm((current) => ({ ...current, ...patch }))}
        invalid={invalid}
      />
      <p className="hint">{t('register.ageOrDob')}</p>
      <DuplicateWarning
        candidates={candidates}
        acknowledged={acknowledged}
        onAcknowledge={setAcknowledged}
        onOpen={(patientId) => navigate({ screen: 'patient', patientId })}
      />
      <ErrorMessage text={errorText(error)} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy || readOnly}>
          {t('register.saveAndCheckIn')}
        </button>
        <button type="button" disabled={busy || readOnly} onClick={() => void save(false)}>
          {t('register.save')}
        </button>
        <button type="button" className="link" onClick={() => navigate({ screen: 'patients' })}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
