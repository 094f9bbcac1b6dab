import type { Resource } from '../api/api.types';

/** Display formats used across the console (one locale, so every screen reads the same). */
const LOCALE = 'en-GB';
const dateFormat = new Intl.DateTimeFormat(LOCALE, { day: 'numeric', month: 'short', year: 'numeric' });
const dateTimeFormat = new Intl.DateTimeFormat(LOCALE, {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
const numberFormat = new Intl.NumberFormat(LOCALE);
const monthFormat = new Intl.DateTimeFormat(LOCALE, { month: 'short', timeZone: 'UTC' });
const monthYearFormat = new Intl.DateTimeFormat(LOCALE, { month: 'long', year: 'numeric', timeZone: 'UTC' });

export function formatDate(iso: string | null): string {
  return iso ? dateFormat.format(new Date(iso)) : '—';
}

export function formatDateTime(iso: string | null): string {
  return iso ? dateTimeFormat.format(new Date(iso)) : '—';
}

export function formatNumber(n: number): string {
  return numberFormat.format(n);
}

/** "Nov" for "2026-11". */
export function formatMonthShort(month: string): string {
  return monthFormat.format(new Date(`${month}-01T00:00:00Z`));
}

/** "November 2026" for "2026-11". */
export function formatMonthLong(month: string): string {
  return monthYearFormat.format(new Date(`${month}-01T00:00:00Z`));
}

/** "5 min ago", "3 h ago", "2 days ago", or the date when older than a month. */
export function formatAgo(iso: string | null, now = Date.now()): string {
  if (!iso) return 'never';
  const minutes = Math.round((now - Date.parse(iso)) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  if (days <= 31) return `${days} day${days === 1 ? '' : 's'} ago`;
  return formatDate(iso);
}

export const RESOURCE_LABELS: Record<Resource, string> = {
  patients: 'Patients',
  doctors: 'Doctors',
  receptionists: 'Receptionists',
  labTechs: 'Lab technicians',
};

export const RESOURCES: readonly Resource[] = ['patients', 'doctors', 'receptionists', 'labTechs'];

export const LIMIT_KEYS = {
  patients: 'maxPatients',
  doctors: 'maxDoctors',
  receptionists: 'maxReceptionists',
  labTechs: 'maxLabTechs',
} as const satisfies Record<Resource, string>;

/** An ISO date-time (end of that day, local time) from an `<input type="date">` value; null when blank. */
export function endOfDayIso(date: string): string | null {
  if (!date) return null;
  return new Date(`${date}T23:59:59`).toISOString();
}

/** The `<input type="date">` value of an ISO date-time, in local time. */
export function toDateInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
