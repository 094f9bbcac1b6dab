/** Short patient descriptions in the current language: "34 y · F". */
import type { TFunction } from 'i18next';
import type { PatientSummaryView } from '../../../../shared/reception-views';

/** Age and sex, e.g. "34 y · F". */
export function ageSex(t: TFunction, patient: Pick<PatientSummaryView, 'ageYears' | 'sex'>): string {
  const parts = [
    patient.ageYears === null ? null : t('patient.ageShort', { count: patient.ageYears }),
    patient.sex === null ? null : t(`patient.sexShort.${patient.sex}`),
  ];
  return parts.filter((part) => part !== null).join(' · ');
}

/** A phone number for reading: +91 98220 12345. */
export function displayPhone(phone: string | null): string {
  if (phone === null) return '';
  const match = /^\+91(\d{5})(\d{5})$/.exec(phone);
  return match === null ? phone : `+91 ${match[1]} ${match[2]}`;
}
