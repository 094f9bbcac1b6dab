/** First run: the clinic's server, the clinic code and a name for this computer. */
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppState } from '../../../../shared/app-views';
import { useApi } from '../../api/api-context';
import { ErrorMessage, TextField } from '../../ui/form-controls';
import { invalidFields, useErrorText } from '../../ui/use-error-text';
import { AuthLayout } from './auth-layout';

/** Connect this computer to a clinic and register it. */
export function ConnectScreen({ state }: { readonly state: AppState }) {
  const { t } = useTranslation();
  const api = useApi();
  const errorText = useErrorText();
  const [serverUrl, setServerUrl] = useState(state.server?.url ?? state.suggestedServerUrl ?? '');
  const [clinicSlug, setClinicSlug] = useState(state.server?.clinicSlug ?? '');
  const [deviceName, setDeviceName] = useState(state.device?.name ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const invalid = invalidFields(error);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.call('setup.connect', { serverUrl, clinicSlug, deviceName });
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthLayout title={t('setup.title')} language={state.language}>
      {state.device?.status === 'revoked' ? <p className="notice">{t('setup.revoked')}</p> : null}
      <p className="lead">{t('setup.intro')}</p>
      <form onSubmit={submit} className="stack">
        <TextField
          label={t('setup.serverUrl')}
          hint={t('setup.serverUrlHint')}
          value={serverUrl}
          onChange={(event) => setServerUrl(event.target.value)}
          required
          invalid={invalid.has('serverUrl')}
          autoComplete="url"
          inputMode="url"
        />
        <TextField
          label={t('setup.clinicSlug')}
          hint={t('setup.clinicSlugHint')}
          value={clinicSlug}
          onChange={(event) => setClinicSlug(event.target.value)}
          required
          invalid={invalid.has('clinicSlug')}
          autoCapitalize="none"
          spellCheck={false}
        />
        <TextField
          label={t('setup.deviceName')}
          hint={t('setup.deviceNameHint')}
          value={deviceName}
          onChange={(event) => setDeviceName(event.target.value)}
          required
          maxLength={80}
        />
        <ErrorMessage text={errorText(error)} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('setup.connecting') : t('setup.connect')}
        </button>
      </form>
    </AuthLayout>
  );
}
