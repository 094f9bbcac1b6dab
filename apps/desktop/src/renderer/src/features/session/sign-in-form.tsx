/** Username and password; signs in online, or offline when the server cannot be reached. */
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/api-context';
import { ErrorMessage, TextField } from '../../ui/form-controls';
import { useErrorText } from '../../ui/use-error-text';

/** The sign-in form (also used by an admin on the approval screen). */
export function SignInForm({ submitLabel }: { readonly submitLabel?: string }) {
  const { t } = useTranslation();
  const api = useApi();
  const errorText = useErrorText();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.call('session.login', { username, password });
    } catch (failure) {
      setError(failure);
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} className="stack">
      <TextField
        label={t('signIn.username')}
        value={username}
        onChange={(event) => setUsername(event.target.value)}
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        required
        autoFocus
      />
      <TextField
        label={t('signIn.password')}
        type="password"
        value={password}
        onChange={(event) => setPassword(event.target.value)}
        autoComplete="current-password"
        required
      />
      <ErrorMessage text={errorText(error)} />
      <button type="submit" className="primary" disabled={busy}>
        {busy ? t('signIn.signingIn') : (submitLabel ?? t('signIn.submit'))}
      </button>
    </form>
  );
}
