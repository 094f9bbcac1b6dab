/** The sign-in screen of a registered, approved computer. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppState } from '../../../../shared/app-views';
import { useApi } from '../../api/api-context';
import { ErrorMessage } from '../../ui/form-controls';
import { useErrorText } from '../../ui/use-error-text';
import { AuthLayout } from '../first-run/auth-layout';
import { SignInForm } from './sign-in-form';

/** Sign in to the clinic this computer belongs to. */
export function SignInScreen({ state }: { readonly state: AppState }) {
  const { t } = useTranslation();
  const api = useApi();
  const errorText = useErrorText();
  const [error, setError] = useState<unknown>(null);
  return (
    <AuthLayout title={t('signIn.title')} language={state.language}>
      <p className="lead">
        {t('signIn.intro', {
          clinic: state.clinicName ?? state.server?.clinicSlug ?? '',
          device: state.device?.name ?? '',
        })}
      </p>
      <SignInForm />
      <ErrorMessage text={errorText(error)} />
      <details className="quiet">
        <summary>{t('signIn.otherClinic')}</summary>
        <p className="muted">{t('signIn.otherClinicHint')}</p>
        <button
          type="button"
          className="secondary"
          onClick={() => void api.call('setup.reset', {}).catch(setError)}
        >
          {t('setup.startOver')}
        </button>
      </details>
    </AuthLayout>
  );
}
