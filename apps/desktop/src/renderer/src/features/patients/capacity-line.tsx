/** "498 of 500 patients, 2 waiting to sync", with a warning at the limit. */
import { useTranslation } from 'react-i18next';
import { useLive } from '../../api/api-context';
import { useFormat } from '../../ui/use-format';

/** The clinic's patient usage against its plan. */
export function CapacityLine() {
  const { t } = useTranslation();
  const format = useFormat();
  const capacity = useLive(
    (api) => api.call('patients.capacity', {}),
    (event) => event.type === 'sync' || (event.type === 'data' && event.entities.includes('patient')),
    [],
  );
  const view = capacity.data;
  if (view === null) return null;
  const counted =
    view.limit === null
      ? t('capacity.unlimited', { used: format.number(view.used) })
      : t('capacity.line', { used: format.number(view.used), limit: format.number(view.limit) });
  const pending = view.pending > 0 ? t('capacity.pending', { count: view.pending }) : '';
  return (
    <p className={view.atLimit ? 'notice' : 'muted'} data-testid="capacity-line">
      {counted}
      {pending}
      {view.atLimit ? ` — ${t('capacity.atLimit')}` : ''}
    </p>
  );
}
