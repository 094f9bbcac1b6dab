import { type FormEvent, useEffect, useRef, useState } from 'react';
import { ApiError } from '../../api/api-client';
import { useServices } from '../../app/services';
import { TextField } from '../../ui/field';
import { errorMessage, Notice } from '../../ui/notice';

/**
 * Super-admin sign-in: username and password, then the authenticator code when the server asks
 * for it (`totp_required`). No clinic: the console is for the platform only.
 */
export function LoginScreen({ notice }: { notice: string | null }) {
  const { api, session } = useServices();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [needsTotp, setNeedsTotp] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const totpRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    document.title = 'Sign in · ClinicDesk console';
  }, []);
  useEffect(() => {
    if (needsTotp) totpRef.current?.focus();
  }, [needsTotp]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await api.login(username, password, needsTotp ? totp : undefined);
      session.signIn(res.user, res, null);
    } catch (err) {
      if (err instanceof ApiError && err.details?.reason === 'totp_required') {
        // The first answer only says a code is needed; say it is wrong only after one was sent.
        setError(needsTotp ? err.message : null);
        setNeedsTotp(true);
        setTotp('');
      } else {
        setError(errorMessage(err));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="auth-page">
      <div className="auth-card">
        <p className="brand brand-large" aria-hidden="true">
          <span className="brand-mark">+</span> ClinicDesk
        </p>
        <h1>Sign in to the console</h1>
        <p className="muted">For ClinicDesk platform administrators.</p>
        {notice ? <Notice tone="info">{notice}</Notice> : null}
        {error ? <Notice tone="error">{error}</Notice> : null}
        <form onSubmit={submit} className="stack" noValidate={false}>
          <TextField
            label="Username"
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            required
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            readOnly={needsTotp}
          />
          <TextField
            label="Password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            readOnly={needsTotp}
          />
          {needsTotp ? (
            <TextField
              ref={totpRef}
              label="Authenticator code"
              name="totp"
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9]{6}"
              maxLength={6}
              required
              hint="The 6-digit code from your authenticator app."
              value={totp}
              onChange={(e) => setTotp(e.target.value.replace(/\D/g, ''))}
            />
          ) : null}
          <button type="submit" className="button button-primary button-block" disabled={busy}>
            {busy ? 'Signing in…' : needsTotp ? 'Verify and sign in' : 'Sign in'}
          </button>
          {needsTotp ? (
            <button
              type="button"
              className="button-link"
              onClick={() => {
                setNeedsTotp(false);
                setTotp('');
                setPassword('');
                setError(null);
              }}
            >
              Use a different account
            </button>
          ) : null}
        </form>
      </div>
    </main>
  );
}
