/** The frame of the screens before the desk opens: brand, language and one card. */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../../../shared/app-views';
import { LanguageSwitch } from '../../ui/language-switch';

/** Centred card with the app name and the language switcher. */
export function AuthLayout({
  title,
  language,
  children,
}: {
  readonly title: string;
  readonly language: Language;
  readonly children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <div className="auth-page">
      <header className="auth-header">
        <span className="brand">{t('app.name')}</span>
        <LanguageSwitch value={language} />
      </header>
      <main className="auth-card">
        <h1>{title}</h1>
        {children}
      </main>
    </div>
  );
}
