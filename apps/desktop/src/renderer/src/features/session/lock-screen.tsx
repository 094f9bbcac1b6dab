/** The idle lock: only the signed-in user's password opens the desk again. */
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppState } from '../../../../shared/app-views';
import { useApi } from '../../api/api-context';
import { ErrorMessage, TextField } from '../../ui/form-controls';
import { useErrorText } from '../../ui/use-error-text';
import { AuthLayout } from '../first-run/auth-layout';

/** Locked screen with unlock and sign-out. */
export function LockScreen({ state }: { readonly state: AppState }) {
  const { t } = useTranslation();
  const api = useApi();
  const errorText = useErrorText();
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.call('session.unlock', { password });
    } catch (failure) {
      setError(failure);
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthLayout title={t('lock.title')} language={state.language}>
      <p className="lead">{t('lock.intro', { name: state.user?.displayName ?? '' })}</p>
      <form onSubmit={submit} className="stack">
        <TextField
          label={t('signIn.password')}
          type="password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          autoComplete="current-password"
          required
          autoFocus
        />
        <ErrorMessage text={errorText(error)} />
        <button type="submit" className="primary" disabled={busy}>
          {t('lock.unlock')}
        </button>
      </form>
      <button type="button" className="link" onClick={() => void api.call('session.logout', {})}>
        {t('lock.signOut')}
      </button>
    </AuthLayout>
  );
}
