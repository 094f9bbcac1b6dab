/** Check a patient in to a doctor's queue with the purpose of the visit; shows the token slip. */
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/api-context';
import { ErrorMessage, SelectField, TextField } from '../../ui/form-controls';
import { useErrorText } from '../../ui/use-error-text';
import { useDoctors } from '../patients/use-doctors';

/** The check-in form; `onCheckedIn` receives the new visit's id. */
export function CheckInPanel({
  patientId,
  onCheckedIn,
  onCancel,
  readOnly,
}: {
  readonly patientId: string;
  readonly onCheckedIn: (visitId: string) => void;
  readonly onCancel: () => void;
  readonly readOnly: boolean;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const errorText = useErrorText();
  const doctors = useDoctors();
  const [doctorId, setDoctorId] = useState('');
  const [purpose, setPurpose] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const chosen = doctorId || doctors.data?.[0]?.id || '';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { visitId } = await api.call('visits.checkIn', { patientId, doctorId: chosen, purpose });
      onCheckedIn(visitId);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="panel check-in" onSubmit={submit} aria-labelledby="check-in-title">
      <h2 id="check-in-title">{t('checkIn.title')}</h2>
      <div className="form-grid">
        <SelectField
          label={t('checkIn.doctor')}
          value={chosen}
          onChange={(event) => setDoctorId(event.target.value)}
          required
        >
          {(doctors.data ?? []).map((doctor) => (
            <option key={doctor.id} value={doctor.id}>
              {doctor.displayName}
              {doctor.specialization === null ? '' : ` — ${doctor.specialization}`}
            </option>
          ))}
        </SelectField>
        <TextField
          label={t('checkIn.purpose')}
          value={purpose}
          onChange={(event) => setPurpose(event.target.value)}
          placeholder={t('checkIn.purposeHint')}
          maxLength={500}
          autoFocus
        />
      </div>
      <ErrorMessage text={errorText(error)} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy || readOnly || chosen === ''}>
          {t('checkIn.submit')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
