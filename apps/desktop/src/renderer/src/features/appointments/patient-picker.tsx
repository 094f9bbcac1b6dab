/** Pick a patient by typing a name, phone or patient ID (a small search-as-you-type list). */
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PatientSummaryView } from '../../../../shared/reception-views';
import { useApi } from '../../api/api-context';
import { ageSex } from '../patients/patient-text';

/** The picker; shows the chosen patient with a "change" button once picked. */
export function PatientPicker({
  value,
  onChange,
}: {
  readonly value: PatientSummaryView | null;
  readonly onChange: (patient: PatientSummaryView | null) => void;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const id = useId();
  const [query, setQuery] = useState('');
  const [items, setItems] = useState<readonly PatientSummaryView[]>([]);
  const latest = useRef(0);

  useEffect(() => {
    const mine = ++latest.current;
    if (query.trim() === '') {
      setItems([]);
      return;
    }
    void api.call('patients.search', { query, limit: 8 }).then((found) => {
      if (mine === latest.current) setItems(found);
    });
  }, [api, query]);

  if (value !== null) {
    return (
      <div className="field">
        <span className="label">{t('fields.patientId')}</span>
        <div className="picked">
          <strong>{value.fullName}</strong> · {value.patientCode} · {ageSex(t, value)}
          <button type="button" className="link" onClick={() => onChange(null)}>
            {t('appointments.changePatient')}
          </button>
        </div>
      </div>
    );
  }
  return (
    <div className="field picker">
      <label htmlFor={id}>{t('fields.patientId')} *</label>
      <input
        id={id}
        type="search"
        value={query}
        placeholder={t('patients.searchPlaceholder')}
        autoComplete="off"
        onChange={(event) => setQuery(event.target.value)}
      />
      {items.length > 0 ? (
        <ul className="picker-list" aria-label={t('patients.results')}>
          {items.map((patient) => (
            <li key={patient.id}>
              <button type="button" onClick={() => onChange(patient)}>
                <strong>{patient.fullName}</strong> · {patient.patientCode} · {ageSex(t, patient)}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
