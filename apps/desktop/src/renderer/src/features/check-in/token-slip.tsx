/**
 * The token slip a patient takes to the waiting room: big token number, doctor, patient, time.
 * Printed with window.print(); the print stylesheet shows only the slip, sized for an 80 mm
 * receipt printer or the corner of an A4 page.
 */
import { useTranslation } from 'react-i18next';
import type { TokenSlipView } from '../../../../shared/reception-views';
import { useLive } from '../../api/api-context';
import { Modal } from '../../ui/modal';
import { useFormat } from '../../ui/use-format';
import { ageSex } from '../patients/patient-text';

/** The slip itself. */
export function TokenSlip({ slip }: { readonly slip: TokenSlipView }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <div className="token-slip" data-testid="token-slip">
      <div className="slip-clinic">{slip.clinicName}</div>
      {slip.clinicLines.map((line) => (
        <div key={line} className="slip-line">
          {line}
        </div>
      ))}
      <div className="slip-label">{t('slip.token')}</div>
      <div className="slip-token">{slip.token ?? t('slip.noToken')}</div>
      <div className="slip-doctor">{slip.doctorName}</div>
      <div className="slip-patient">
        {slip.patientName} · {ageSex(t, slip)}
      </div>
      <div className="slip-line">{slip.patientCode}</div>
      {slip.purpose === null ? null : <div className="slip-line">{slip.purpose}</div>}
      <div className="slip-line">
        {slip.visitDate} · {format.time(slip.checkedInAt)}
      </div>
      <div className="slip-ahead">
        {slip.ahead === 0 ? t('slip.next') : t('slip.ahead', { count: slip.ahead })}
      </div>
    </div>
  );
}

/** The slip in a dialog, with Print and Close. */
export function TokenSlipDialog({
  visitId,
  onClose,
}: {
  readonly visitId: string;
  readonly onClose: () => void;
}) {
  const { t } = useTranslation();
  const slip = useLive(
    (api) => api.call('visits.slip', { visitId }),
    () => false,
    [visitId],
  );
  return (
    <Modal label={t('slip.title')} className="token-slip-dialog" onClose={onClose}>
      <h2 className="no-print">{t('slip.title')}</h2>
      {slip.data === null ? <p>{t('app.loading')}</p> : <TokenSlip slip={slip.data} />}
      <div className="actions no-print">
        <button type="button" className="primary" onClick={() => window.print()}>
          {t('common.print')}
        </button>
        <button type="button" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
    </Modal>
  );
}
