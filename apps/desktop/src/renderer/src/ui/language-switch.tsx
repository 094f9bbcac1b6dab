/** The language switcher: English, हिन्दी, मराठी; the choice is saved for this computer. */
import { useTranslation } from 'react-i18next';
import { LANGUAGES, type Language } from '../../../shared/app-views';
import { useApi } from '../api/api-context';
import { languageNames } from '../i18n/i18n';

/** A select that changes the interface language. */
export function LanguageSwitch({ value }: { readonly value: Language }) {
  const api = useApi();
  const { t } = useTranslation();
  return (
    <label className="language-switch">
      <span className="visually-hidden">{t('app.language')}</span>
      <select
        value={value}
        aria-label={t('app.language')}
        onChange={(event) => {
          const language = LANGUAGES.find((candidate) => candidate === event.target.value);
          if (language !== undefined) void api.call('settings.update', { language });
        }}
      >
        {LANGUAGES.map((language) => (
          <option key={language} value={language} lang={language}>
            {languageNames[language]}
          </option>
        ))}
      </select>
    </label>
  );
}
