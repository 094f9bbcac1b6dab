/** Translated names of record fields and entities, falling back to the raw name for unknown ones. */
import type { TFunction } from 'i18next';

/** "First name" for `firstName`. */
export function fieldLabel(t: TFunction, field: string): string {
  return t(`fields.${field}`, { defaultValue: field });
}

/** "Patient" for `patient`. */
export function entityLabel(t: TFunction, entity: string): string {
  return t(`entities.${entity}`, { defaultValue: entity });
}
