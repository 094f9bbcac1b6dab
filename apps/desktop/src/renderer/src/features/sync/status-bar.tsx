/**
 * The status bar at the foot of every desk screen: online or offline, changes waiting, refusals,
 * last sync, and the licence (trial days left, read-only, offline lease running out).
 */
import { useTranslation } from 'react-i18next';
import type { SyncView } from '../../../../shared/app-views';
import { useFormat } from '../../ui/use-format';
import { relativeTime } from './relative-time';

/** The bar itself; `onOpenSyncCentre` opens the sync centre. */
export function StatusBar({
  view,
  deviceName,
  onOpenSyncCentre,
}: {
  readonly view: SyncView;
  readonly deviceName: string;
  readonly onOpenSyncCentre: () => void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const { licence } = view;
  const connection = view.signedInOffline
    ? t('status.offlineSignIn')
    : view.online
      ? view.syncing
        ? t('status.syncing')
        : t('status.online')
      : t('status.offline');
  return (
    <section className="status-bar" aria-label={t('status.label')}>
      <span className={`status-dot ${view.online ? 'online' : 'offline'}`} aria-hidden="true" />
      <span data-testid="connection-status">{connection}</span>
      <button
        type="button"
        className="status-item link"
        onClick={onOpenSyncCentre}
        data-testid="pending-count"
      >
        {t('status.pending', { count: view.pending })}
      </button>
      {view.refused > 0 ? (
        <button type="button" className="status-item status-warning link" onClick={onOpenSyncCentre}>
          {t('status.refused', { count: view.refused })}
        </button>
      ) : null}
      <span className="status-item">
        {t('status.lastSync', { when: relativeTime(t, format.locale, view.lastSyncAt) })}
      </span>
      {view.needsOnlineSignIn ? (
        <span className="status-item status-warning">{t('status.signInAgain')}</span>
      ) : null}
      <span className="status-spacer" />
      {licence.trialDaysLeft !== null ? (
        <span className="status-item">{t('status.trialDays', { count: licence.trialDaysLeft })}</span>
      ) : null}
      {licence.leaseHoursLeft !== null ? (
        <span className="status-item status-warning">
          {t('status.leaseHours', { count: licence.leaseHoursLeft })}
        </span>
      ) : null}
      {licence.readOnly !== null ? (
        <span className="status-item status-danger">{t('status.readOnly')}</span>
      ) : null}
      <span className="status-item muted">{deviceName}</span>
    </section>
  );
}

/** The read-only and lease banners above the content. */
export function LicenceBanner({ view }: { readonly view: SyncView }) {
  const { t } = useTranslation();
  const { licence } = view;
  if (licence.readOnly !== null) {
    return (
      <div className="banner banner-danger" role="status" data-testid="read-only-banner">
        <strong>{t('banner.readOnlyTitle')}</strong> {t(`banner.readOnly.${licence.readOnly}`)}
      </div>
    );
  }
  if (licence.leaseHoursLeft !== null) {
    return (
      <div className="banner banner-warning" role="status">
        {t('banner.leaseRunningOut', { count: licence.leaseHoursLeft })}
      </div>
    );
  }
  return null;
}
