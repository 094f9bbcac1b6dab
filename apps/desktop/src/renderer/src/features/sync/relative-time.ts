/** "just now", "5 min ago", "2 h ago", or a date, in the current language. */
import type { TFunction } from 'i18next';

/** A short relative time for `iso` as seen at `now`; older than a day, the date in `locale`. */
export function relativeTime(
  t: TFunction,
  locale: string,
  iso: string | null,
  now: number = Date.now(),
): string {
  if (iso === null) return t('time.never');
  const minutes = Math.floor((now - Date.parse(iso)) / 60_000);
  if (minutes < 1) return t('time.justNow');
  if (minutes < 60) return t('time.minutesAgo', { count: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return t('time.hoursAgo', { count: hours });
  return new Date(iso).toLocaleDateString(locale);
}
