/** "498 of 500 patients, 2 waiting to sync", with a warning at the limit. */
import { useTranslation } from 'react-i18next';
import { useLive } from '../../api/api-context';

/** The clinic's patient usage against its plan. */
export function CapacityLine() {
  const { t } = useTranslation();
  const capacity = useLive(
    (api) => api.call('patients.capacity', {}),
    (event) => event.type === 'sync' || (event.type === 'data' && event.entities.includes('patient')),
    [],
  );
  const view = capacity.data;
  if (view === null) return null;
  const counted =
    view.limit === null
      ? t('capacity.unlimited', { used: view.used.toLocaleString() })
      : t('capacity.line', { used: view.used.toLocaleString(), limit: view.limit.toLocaleString() });
  const pending = view.pending > 0 ? t('capacity.pending', { count: view.pending }) : '';
  return (
    <p className={view.atLimit ? 'notice' : 'muted'} data-testid="capacity-line">
      {counted}
      {pending}
      {view.atLimit ? ` — ${t('capacity.atLimit')}` : ''}
    </p>
  );
}
