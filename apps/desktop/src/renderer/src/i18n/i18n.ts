/**
 * i18next set up with the three interface languages. English is the reference dictionary; Hindi
 * and Marathi must have every one of its keys (checked at compile time by `Dictionary`).
 */
import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Language } from '../../../shared/app-views';
import { en } from './en';
import { hi } from './hi';
import { mr } from './mr';

/** Creates the i18next instance for the renderer, starting in `language`. */
export function createI18n(language: Language): i18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    lng: language,
    fallbackLng: 'en',
    resources: { en: { translation: en }, hi: { translation: hi }, mr: { translation: mr } },
    interpolation: { escapeValue: false },
    initAsync: false,
    returnNull: false,
  });
  return instance;
}

/** Names of the languages, each in its own script, for the switcher. */
export const languageNames: Readonly<Record<Language, string>> = { en: 'English', hi: 'हिन्दी', mr: 'मराठी' };
