/** Patients that look like the one being registered, with why, and the user's knowing override. */
import { useTranslation } from 'react-i18next';
import type { DuplicateCandidateView } from '../../../../shared/reception-views';
import { ageSex, displayPhone } from './patient-text';

/** The warning panel (nothing when there are no candidates). */
export function DuplicateWarning({
  candidates,
  acknowledged,
  onAcknowledge,
  onOpen,
}: {
  readonly candidates: readonly DuplicateCandidateView[];
  readonly acknowledged: boolean;
  readonly onAcknowledge: (value: boolean) => void;
  readonly onOpen: (patientId: string) => void;
}) {
  const { t } = useTranslation();
  if (candidates.length === 0) return null;
  return (
    <section className="duplicate-warning" aria-labelledby="duplicate-title" data-testid="duplicate-warning">
      <h2 id="duplicate-title">{t('register.duplicatesTitle', { count: candidates.length })}</h2>
      <ul>
        {candidates.map(({ patient, reasons }) => (
          <li key={patient.id}>
            <div>
              <strong>{patient.fullName}</strong> · {patient.patientCode} · {ageSex(t, patient)} ·{' '}
              {displayPhone(patient.phone)}
              <div className="reasons">
                {reasons.map((reason) => (
                  <span key={reason} className="badge badge-waiting">
                    {t(`register.reason.${reason}`)}
                  </span>
                ))}
              </div>
            </div>
            <button type="button" onClick={() => onOpen(patient.id)}>
              {t('register.openExisting')}
            </button>
          </li>
        ))}
      </ul>
      <label className="check">
        <input
          type="checkbox"
          checked={acknowledged}
          onChange={(event) => onAcknowledge(event.target.checked)}
        />
        {t('register.acknowledge')}
      </label>
    </section>
  );
}
