/** The last sync error as a sentence. */
import { useTranslation } from 'react-i18next';
import type { SyncView } from '../../../../shared/app-views';

/** A function from the sync view to a sentence about its last error (null when none). */
export function useErrorTextForSync(): (view: SyncView) => string | null {
  const { t } = useTranslation();
  return (view) => {
    const error = view.lastError;
    if (error === null) return null;
    if (error.kind === 'network') return t('syncError.network');
    switch (error.code) {
      case 'UNAUTHORIZED':
        return t('syncError.signIn');
      case 'FORBIDDEN':
        return t('syncError.forbidden');
      case 'UPGRADE_REQUIRED':
        return t('syncError.upgrade');
      case 'CLINIC_SUSPENDED':
        return t('syncError.suspended');
      default:
        return t('syncError.other', { message: error.message });
    }
  };
}
