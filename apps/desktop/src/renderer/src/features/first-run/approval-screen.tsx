/**
 * Waiting for a clinic admin: asks the server every few seconds whether this computer has been
 * approved. An admin can also sign in right here, which approves it.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppState } from '../../../../shared/app-views';
import { useApi } from '../../api/api-context';
import { ErrorMessage } from '../../ui/form-controls';
import { useErrorText } from '../../ui/use-error-text';
import { useFormat } from '../../ui/use-format';
import { SignInForm } from '../session/sign-in-form';
import { AuthLayout } from './auth-layout';

const POLL_MS = 4000;

/** The waiting screen. */
export function ApprovalScreen({ state }: { readonly state: AppState }) {
  const { t } = useTranslation();
  const format = useFormat();
  const api = useApi();
  const errorText = useErrorText();
  const [checkedAt, setCheckedAt] = useState<Date | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let stopped = false;
    const check = async () => {
      try {
        await api.call('setup.checkApproval', {});
        if (!stopped) {
          setCheckedAt(new Date());
          setError(null);
        }
      } catch (failure) {
        if (!stopped) setError(failure);
      }
    };
    void check();
    const timer = setInterval(() => void check(), POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [api]);

  return (
    <AuthLayout title={t('approval.title')} language={state.language}>
      <div className="waiting" aria-live="polite">
        <span className="spinner" aria-hidden="true" />
        <p>
          {t('approval.waiting', {
            device: state.device?.name ?? '',
            clinic: state.server?.clinicSlug ?? '',
          })}
        </p>
      </div>
      <ol className="steps">
        <li>{t('approval.step1')}</li>
        <li>{t('approval.step2', { device: state.device?.name ?? '' })}</li>
        <li>{t('approval.step3')}</li>
      </ol>
      <p className="muted">
        {checkedAt === null
          ? t('approval.checking')
          : t('approval.checkedAt', { time: format.time(checkedAt) })}
      </p>
      <ErrorMessage text={errorText(error)} />
      <details className="admin-sign-in">
        <summary>{t('approval.adminSignIn')}</summary>
        <SignInForm submitLabel={t('approval.adminSignInButton')} />
      </details>
      <button type="button" className="link" onClick={() => void api.call('setup.reset', {}).catch(setError)}>
        {t('setup.startOver')}
      </button>
    </AuthLayout>
  );
}
