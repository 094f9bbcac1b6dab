/** The sync view, refreshed on every sync event and every 30 s (so "last sync" ages on screen). */
import { useEffect } from 'react';
import { useLive } from '../../api/api-context';

/** Live sync status. */
export function useSyncView() {
  const live = useLive(
    (api) => api.call('sync.status', {}),
    (event) => event.type === 'sync' || (event.type === 'data' && event.entities.includes('sync')),
    [],
  );
  const { reload } = live;
  useEffect(() => {
    const timer = setInterval(reload, 30_000);
    return () => clearInterval(timer);
  }, [reload]);
  return live;
}
