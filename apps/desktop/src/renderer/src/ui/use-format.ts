/**
 * Dates, times and numbers in the interface language, the Indian way (en-IN, hi-IN, mr-IN: lakh
 * grouping, day-month order) and with Latin digits everywhere, so they match token numbers and
 * patient codes.
 */
import { useTranslation } from 'react-i18next';

/** The Intl locale of an interface language. */
export function intlLocale(language: string): string {
  return `${language}-IN-u-nu-latn`;
}

/** Formatters for the current language. */
export function useFormat() {
  const { i18n } = useTranslation();
  const locale = intlLocale(i18n.language);
  return {
    /** A calendar date (`YYYY-MM-DD`) written out, e.g. "Saturday, 28 November 2026". */
    longDate: (isoDate: string) =>
      new Date(`${isoDate}T12:00:00`).toLocaleDateString(locale, { dateStyle: 'full' }),
    /** Hours and minutes of an instant. */
    time: (iso: string | Date) =>
      new Date(iso).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' }),
    /** A count with grouping. */
    number: (value: number) => value.toLocaleString(locale),
    locale,
  };
}
