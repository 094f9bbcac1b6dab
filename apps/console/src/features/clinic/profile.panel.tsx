import { type FormEvent, useState } from 'react';
import type { ClinicDetail, ProfileFields } from '../../api/api.types';
import { useServices } from '../../app/services';
import { TextArea, TextField } from '../../ui/field';
import { errorMessage, Notice } from '../../ui/notice';

/** The clinic's profile and the letterhead printed on its prescriptions and reports. */
const FIELDS: (keyof ProfileFields)[] = [
  'name',
  'address',
  'city',
  'state',
  'zip',
  'phone',
  'email',
  'website',
  'registrationNumber',
  'timezone',
  'letterheadHeader',
  'letterheadFooter',
];

function profileOf(clinic: ClinicDetail): ProfileFields {
  return Object.fromEntries(FIELDS.map((f) => [f, clinic[f]])) as ProfileFields;
}

export function ProfilePanel({
  clinic,
  onChange,
}: {
  clinic: ClinicDetail;
  onChange: (clinic: ClinicDetail) => void;
}) {
  const { api } = useServices();
  const [form, setForm] = useState<ProfileFields>(() => profileOf(clinic));
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});

  const field = (name: keyof ProfileFields) => ({
    name,
    value: form[name],
    onChange: (e: { target: { value: string } }) => setForm({ ...form, [name]: e.target.value }),
    error: fieldErrors[name],
  });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const changed = Object.fromEntries(
      FIELDS.filter((f) => form[f].trim() !== clinic[f]).map((f) => [f, form[f].trim()]),
    );
    if (Object.keys(changed).length === 0) {
      setOutcome({ tone: 'success', text: 'Nothing changed.' });
      return;
    }
    setBusy(true);
    setOutcome(null);
    setFieldErrors({});
    try {
      const updated = await api.patch<ClinicDetail>(`/v1/admin/clinics/${clinic.id}`, changed);
      onChange(updated);
      setForm(profileOf(updated));
      setOutcome({ tone: 'success', text: 'Profile saved.' });
    } catch (err) {
      const details = (err as { details?: unknown }).details;
      if (Array.isArray(details)) {
        // Validation details name the field as a path: "/email".
        const errors: Record<string, string> = {};
        for (const d of details as { path?: string; message?: string }[]) {
          const name = d.path?.split('/').filter(Boolean)[0];
          if (name) errors[name] = d.message ?? 'Not valid';
        }
        setFieldErrors(errors);
      }
      setOutcome({ tone: 'error', text: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card stack" onSubmit={submit} aria-label="Clinic profile and letterhead">
      <h2>Profile</h2>
      {outcome ? <Notice tone={outcome.tone}>{outcome.text}</Notice> : null}
      <div className="grid-2">
        <TextField label="Clinic name" required maxLength={200} {...field('name')} />
        <TextField label="Registration number" maxLength={100} {...field('registrationNumber')} />
        <TextField label="Address" maxLength={500} className="span-2" {...field('address')} />
        <TextField label="City" maxLength={100} {...field('city')} />
        <TextField label="State" maxLength={100} {...field('state')} />
        <TextField label="Postal code" maxLength={10} {...field('zip')} />
        <TextField
          label="Time zone"
          maxLength={64}
          hint="IANA name, e.g. Asia/Kolkata"
          {...field('timezone')}
        />
        <TextField label="Phone" type="tel" autoComplete="off" {...field('phone')} />
        <TextField label="Email" type="email" autoComplete="off" {...field('email')} />
        <TextField
          label="Website"
          type="url"
          placeholder="https://"
          className="span-2"
          {...field('website')}
        />
      </div>
      <h2>Letterhead</h2>
      <p className="field-hint">Printed at the top and bottom of prescriptions and lab reports.</p>
      <TextArea label="Header" rows={3} maxLength={2000} {...field('letterheadHeader')} />
      <TextArea label="Footer" rows={2} maxLength={2000} {...field('letterheadFooter')} />
      <div>
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save profile'}
        </button>
      </div>
    </form>
  );
}
