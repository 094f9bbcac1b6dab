/** The patient fields, shared by registration and editing. Numbers are typed as text and parsed on save. */
import { BloodGroup, type Patient, Sex } from '@clinicdesk/domain';
import { useTranslation } from 'react-i18next';
import type { ChannelInput } from '../../../../shared/ipc-contract';
import { fieldLabel } from '../../ui/field-label';
import { SelectField, TextField } from '../../ui/form-controls';

/** What the form holds while typing. */
export interface PatientFormState {
  firstName: string;
  lastName: string;
  sex: Sex | '';
  ageYears: string;
  dateOfBirth: string;
  phone: string;
  altPhone: string;
  email: string;
  address: string;
  city: string;
  bloodGroup: BloodGroup | '';
  allergies: string;
  weightKg: string;
}

/** An empty form. */
export const emptyPatientForm: PatientFormState = {
  firstName: '',
  lastName: '',
  sex: '',
  ageYears: '',
  dateOfBirth: '',
  phone: '',
  altPhone: '',
  email: '',
  address: '',
  city: '',
  bloodGroup: '',
  allergies: '',
  weightKg: '',
};

/** The form filled from a stored patient (phones shown as stored). */
export function patientFormFrom(patient: Patient): PatientFormState {
  return {
    firstName: patient.firstName,
    lastName: patient.lastName ?? '',
    sex: patient.sex,
    ageYears: patient.ageYears === null ? '' : String(patient.ageYears),
    dateOfBirth: patient.dateOfBirth ?? '',
    phone: patient.phone ?? '',
    altPhone: patient.altPhone ?? '',
    email: patient.email ?? '',
    address: patient.address ?? '',
    city: patient.city ?? '',
    bloodGroup: patient.bloodGroup ?? '',
    allergies: patient.allergies ?? '',
    weightKg: patient.weightKg === null ? '' : String(patient.weightKg),
  };
}

type Fields = ChannelInput<'patients.register'>['fields'];

function numberOrNull(text: string): number | null | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
}

/** The fields to send, or the names of fields that cannot be sent as typed (sex missing, a number that is not one). */
export function patientFieldsOf(form: PatientFormState): { fields: Fields } | { invalid: string[] } {
  const ageYears = form.dateOfBirth === '' ? numberOrNull(form.ageYears) : null;
  const weightKg = numberOrNull(form.weightKg);
  const invalid = [
    form.sex === '' ? 'sex' : null,
    ageYears === undefined || (ageYears !== null && !Number.isInteger(ageYears)) ? 'ageYears' : null,
    weightKg === undefined ? 'weightKg' : null,
  ].filter((field): field is string => field !== null);
  if (invalid.length > 0 || form.sex === '' || ageYears === undefined || weightKg === undefined)
    return { invalid };
  return {
    fields: {
      firstName: form.firstName,
      lastName: form.lastName,
      sex: form.sex,
      ageYears,
      dateOfBirth: form.dateOfBirth === '' ? null : form.dateOfBirth,
      phone: form.phone,
      altPhone: form.altPhone,
      email: form.email,
      address: form.address,
      city: form.city,
      bloodGroup: form.bloodGroup === '' ? null : form.bloodGroup,
      allergies: form.allergies,
      weightKg,
    },
  };
}

/** The inputs. */
export function PatientForm({
  form,
  onChange,
  invalid,
}: {
  readonly form: PatientFormState;
  readonly onChange: (patch: Partial<PatientFormState>) => void;
  readonly invalid: ReadonlySet<string>;
}) {
  const { t } = useTranslation();
  const text = (
    field: keyof PatientFormState,
    extra: {
      required?: boolean;
      type?: string;
      inputMode?: 'numeric' | 'tel' | 'email' | 'decimal';
      wide?: boolean;
      autoFocus?: boolean;
    } = {},
  ) => (
    <TextField
      label={`${fieldLabel(t, field)}${extra.required ? ' *' : ''}`}
      value={form[field]}
      onChange={(event) => onChange({ [field]: event.target.value })}
      invalid={invalid.has(field)}
      required={extra.required}
      type={extra.type ?? 'text'}
      inputMode={extra.inputMode}
      className={extra.wide ? 'wide' : undefined}
      autoFocus={extra.autoFocus}
    />
  );
  return (
    <div className="form-grid">
      {text('firstName', { required: true, autoFocus: true })}
      {text('lastName')}
      <SelectField
        label={`${fieldLabel(t, 'sex')} *`}
        value={form.sex}
        required
        invalid={invalid.has('sex')}
        onChange={(event) => onChange({ sex: Sex.options.find((sex) => sex === event.target.value) ?? '' })}
      >
        <option value="">{t('patient.choose')}</option>
        {Sex.options.map((sex) => (
          <option key={sex} value={sex}>
            {t(`patient.sex.${sex}`)}
          </option>
        ))}
      </SelectField>
      {text('ageYears', { inputMode: 'numeric' })}
      {text('dateOfBirth', { type: 'date' })}
      {text('phone', { inputMode: 'tel' })}
      {text('altPhone', { inputMode: 'tel' })}
      {text('city')}
      {text('address', { wide: true })}
      <SelectField
        label={fieldLabel(t, 'bloodGroup')}
        value={form.bloodGroup}
        onChange={(event) =>
          onChange({ bloodGroup: BloodGroup.options.find((group) => group === event.target.value) ?? '' })
        }
      >
        <option value="">{t('patient.unknown')}</option>
        {BloodGroup.options.map((group) => (
          <option key={group} value={group}>
            {group}
          </option>
        ))}
      </SelectField>
      {text('weightKg', { inputMode: 'decimal' })}
      {text('email', { type: 'email', inputMode: 'email' })}
      {text('allergies', { wide: true })}
    </div>
  );
}
