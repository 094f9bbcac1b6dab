/** Turns any failure into a sentence in the current language. */
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/api-client';

/** A function from an error to its translated message (null for no error). */
export function useErrorText(): (error: unknown) => string | null {
  const { t } = useTranslation();
  return (error) => {
    if (error === null || error === undefined) return null;
    if (error instanceof ApiError) {
      const details = error.details;
      const seconds = details.seconds ?? details.secondsUntilRetry;
      const strings = Object.fromEntries(
        Object.entries(details).filter(([, value]) => typeof value === 'string'),
      );
      return t(`errors.${error.code}`, {
        ...strings,
        seconds: typeof seconds === 'number' ? seconds : 60,
        message: typeof details.message === 'string' ? details.message : error.message,
      });
    }
    return t('errors.INTERNAL');
  };
}

/** The field names a VALIDATION_FAILED or INVALID_ARGUMENTS error blames. */
export function invalidFields(error: unknown): ReadonlySet<string> {
  if (!(error instanceof ApiError)) return new Set();
  const { fields, issues } = error.details;
  const names = new Set<string>();
  if (Array.isArray(fields))
    for (const field of fields) if (typeof field === 'string') names.add(field.split('.')[0] ?? field);
  if (Array.isArray(issues)) {
    for (const issue of issues) {
      if (typeof issue === 'object' && issue !== null && 'path' in issue && Array.isArray(issue.path)) {
        const last = issue.path.at(-1);
        if (typeof last === 'string') names.add(last);
      }
    }
  }
  return names;
}
