import QRCode from 'qrcode';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { TotpEnrolment, TotpStatus } from '../../api/api.types';
import { useServices } from '../../app/services';
import { TextField } from '../../ui/field';
import { ErrorNotice, errorMessage, Notice } from '../../ui/notice';

/**
 * The enrolment every super admin goes through right after their first sign-in: scan the QR code
 * (or type the secret), then prove it with one code. Nothing else in the console opens until the
 * server says the authenticator is on.
 */
function groupSecret(secret: string): string {
  return secret.replace(/(.{4})/g, '$1 ').trim();
}

export function TotpEnrolScreen() {
  const { api, session } = useServices();
  const [enrolment, setEnrolment] = useState<TotpEnrolment | null>(null);
  const [qr, setQr] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    document.title = 'Set up your authenticator · ClinicDesk console';
  }, []);

  // One enrolment per attempt, even when React runs the effect twice (StrictMode): two racing
  // requests could leave the server holding a different secret from the one on screen.
  const started = useRef<{ attempt: number; request: Promise<TotpEnrolment> } | null>(null);
  useEffect(() => {
    let cancelled = false;
    setLoadError(null);
    if (started.current?.attempt !== attempt) {
      started.current = { attempt, request: api.post<TotpEnrolment>('/v1/admin/totp/enroll') };
    }
    started.current.request
      .then(async (value) => {
        const dataUrl = await QRCode.toDataURL(value.uri, {
          errorCorrectionLevel: 'M',
          margin: 1,
          width: 220,
        });
        if (cancelled) return;
        setEnrolment(value);
        setQr(dataUrl);
      })
      .catch((err: unknown) => {
        if (!cancelled) setLoadError(err);
      });
    return () => {
      cancelled = true;
    };
  }, [api, attempt]);

  const confirm = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const status = await api.post<TotpStatus>('/v1/admin/totp/confirm', { code });
      session.setTotpEnabled(status.enabled);
    } catch (err) {
      setError(errorMessage(err));
      setCode('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="auth-page">
      <div className="auth-card auth-card-wide">
        <p className="brand brand-large" aria-hidden="true">
          <span className="brand-mark">+</span> ClinicDesk
        </p>
        <h1>Set up your authenticator</h1>
        <p>
          Console accounts need a second step at sign-in. Add ClinicDesk to an authenticator app (Google
          Authenticator, Microsoft Authenticator, 1Password, …), then enter the code it shows.
        </p>
        <ErrorNotice error={loadError} retry={() => setAttempt((a) => a + 1)} />
        {enrolment && qr ? (
          <div className="enrol-grid">
            <ol className="enrol-steps">
              <li>
                <p>Scan this QR code with the app:</p>
                <img
                  className="qr"
                  src={qr}
                  width={220}
                  height={220}
                  alt={`QR code to add ClinicDesk (${enrolment.account}) to an authenticator app`}
                />
              </li>
              <li>
                <p>Or type this key into the app (time-based, 6 digits, 30 seconds):</p>
                <label className="sr-only" htmlFor="totp-secret">
                  Secret key
                </label>
                <input
                  id="totp-secret"
                  className="secret"
                  readOnly
                  value={groupSecret(enrolment.secret)}
                  size={40}
                  onFocus={(e) => e.currentTarget.select()}
                />
              </li>
            </ol>
            <form className="stack" onSubmit={confirm}>
              {error ? <Notice tone="error">{error}</Notice> : null}
              <TextField
                label="Code from the app"
                name="code"
                inputMode="numeric"
                autoComplete="one-time-code"
                pattern="[0-9]{6}"
                maxLength={6}
                required
                hint="6 digits; it changes every 30 seconds."
                value={code}
                onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
              />
              <button type="submit" className="button button-primary" disabled={busy || code.length !== 6}>
                {busy ? 'Checking…' : 'Turn on and continue'}
              </button>
            </form>
          </div>
        ) : loadError ? null : (
          <p role="status">Preparing your key…</p>
        )}
        <button type="button" className="button-link" onClick={() => void api.logout()}>
          Sign out
        </button>
      </div>
    </main>
  );
}
