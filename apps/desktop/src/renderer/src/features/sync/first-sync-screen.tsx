/**
 * The first download of the clinic's records, with rows and percentage. Progress is kept in the
 * local database page by page, so after a restart the bar continues where it stopped.
 */
import { useTranslation } from 'react-i18next';
import type { SyncView } from '../../../../shared/app-views';
import { useFormat } from '../../ui/use-format';
import { useErrorTextForSync } from './sync-error-text';

/** Shown instead of the desk until the first sync completes. */
export function FirstSyncScreen({ view }: { readonly view: SyncView }) {
  const { t } = useTranslation();
  const format = useFormat();
  const syncError = useErrorTextForSync();
  const { rowsDone, rowsTotal, percent } = view.firstSync;
  return (
    <main className="first-sync">
      <h1>{t('firstSync.title')}</h1>
      <p>{t('firstSync.intro')}</p>
      <progress
        max={100}
        value={percent ?? undefined}
        aria-label={t('firstSync.title')}
        aria-valuetext={percent === null ? t('firstSync.starting') : `${percent}%`}
      />
      <p className="first-sync-figures" data-testid="first-sync-progress">
        {rowsTotal === null
          ? t('firstSync.starting')
          : t('firstSync.rows', {
              done: format.number(rowsDone),
              total: format.number(rowsTotal),
              percent: percent ?? 0,
            })}
      </p>
      {!view.online && view.lastError !== null ? <p className="notice">{syncError(view)}</p> : null}
      <p className="muted">{t('firstSync.resumes')}</p>
    </main>
  );
}
