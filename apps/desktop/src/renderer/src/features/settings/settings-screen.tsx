/** This computer's settings: idle lock time and language, plus what it is connected to. */
import { useTranslation } from 'react-i18next';
import type { AppState } from '../../../../shared/app-views';
import { useApi } from '../../api/api-context';
import { LanguageSwitch } from '../../ui/language-switch';

const IDLE_CHOICES = [60, 300, 600, 900, 1800, 3600] as const;

/** The settings screen. */
export function SettingsScreen({ state }: { readonly state: AppState }) {
  const { t } = useTranslation();
  const api = useApi();
  const choices = IDLE_CHOICES.some((seconds) => seconds === state.idleLockSeconds)
    ? IDLE_CHOICES
    : [...IDLE_CHOICES, state.idleLockSeconds].sort((a, b) => a - b);
  return (
    <section className="panel narrow">
      <h1>{t('settings.title')}</h1>
      <div className="field">
        <label htmlFor="idle-lock">{t('settings.idleLock')}</label>
        <select
          id="idle-lock"
          value={state.idleLockSeconds}
          onChange={(event) =>
            void api.call('settings.update', { idleLockSeconds: Number(event.target.value) })
          }
        >
          {choices.map((seconds) => (
            <option key={seconds} value={seconds}>
              {seconds < 60
                ? t('settings.seconds', { count: seconds })
                : t('settings.minutes', { count: seconds / 60 })}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <span className="label">{t('app.language')}</span>
        <LanguageSwitch value={state.language} />
      </div>
      <dl className="facts">
        <dt>{t('settings.server')}</dt>
        <dd>{state.server?.url}</dd>
        <dt>{t('settings.clinic')}</dt>
        <dd>{state.clinicName ?? state.server?.clinicSlug}</dd>
        <dt>{t('settings.device')}</dt>
        <dd>{state.device?.name}</dd>
      </dl>
    </section>
  );
}
