import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import type {
  Availability,
  CreateClinicBody,
  CreateClinicResponse,
  IdentityAvailability,
  Limits,
} from '../../api/api.types';
import { ApiError } from '../../api/api-client';
import { Link } from '../../app/router';
import { useServices } from '../../app/services';
import { TextField } from '../../ui/field';
import {
  endOfDayIso,
  formatDate,
  LIMIT_KEYS,
  RESOURCE_LABELS,
  RESOURCES,
  toDateInput,
} from '../../ui/format';
import { errorMessage, Notice } from '../../ui/notice';
import { OneTimeLink } from '../../ui/one-time-link';
import { PageHeader } from '../../ui/page-header';
import { suggestCode, suggestSlug } from './clinic-identity';

/**
 * Onboarding a clinic in five steps: profile → code and slug (checked as typed) → plan and limits
 * → first clinic admin → review. The admin gets a one-time setup link, never a password; it is
 * shown once at the end.
 */
type Step = 'profile' | 'identity' | 'limits' | 'admin' | 'review';
const STEPS: { step: Step; label: string }[] = [
  { step: 'profile', label: 'Profile' },
  { step: 'identity', label: 'Code & slug' },
  { step: 'limits', label: 'Plan & limits' },
  { step: 'admin', label: 'First admin' },
  { step: 'review', label: 'Review' },
];

type Draft = {
  name: string;
  city: string;
  state: string;
  address: string;
  phone: string;
  email: string;
  slug: string;
  code: string;
  plan: string;
  limits: Record<keyof Limits, string>;
  trialEnds: string;
  adminUsername: string;
  adminName: string;
  adminPhone: string;
  adminEmail: string;
};

function initialDraft(): Draft {
  return {
    name: '',
    city: '',
    state: '',
    address: '',
    phone: '',
    email: '',
    slug: '',
    code: '',
    plan: 'trial',
    limits: { maxPatients: '', maxDoctors: '', maxReceptionists: '', maxLabTechs: '' },
    trialEnds: toDateInput(new Date(Date.now() + 14 * 86_400_000).toISOString()),
    adminUsername: 'admin',
    adminName: '',
    adminPhone: '',
    adminEmail: '',
  };
}

function toBody(d: Draft): CreateClinicBody {
  const optional = (v: string) => (v.trim() ? v.trim() : undefined);
  const limits: Partial<Limits> = {};
  for (const r of RESOURCES) {
    const key = LIMIT_KEYS[r];
    const v = d.limits[key].trim();
    if (v !== '') limits[key] = Number(v);
  }
  return {
    name: d.name.trim(),
    code: d.code,
    slug: d.slug,
    city: optional(d.city),
    state: optional(d.state),
    address: optional(d.address),
    phone: optional(d.phone),
    email: optional(d.email),
    plan: d.plan.trim() || undefined,
    limits,
    trialEndsAt: endOfDayIso(d.trialEnds) ?? undefined,
    admin: {
      username: d.adminUsername.trim(),
      displayName: d.adminName.trim(),
      phone: optional(d.adminPhone) ?? null,
      email: optional(d.adminEmail) ?? null,
    },
  };
}

export function CreateClinicWizard() {
  const { api } = useServices();
  const [step, setStep] = useState<Step>('profile');
  const [draft, setDraft] = useState<Draft>(initialDraft);
  const [created, setCreated] = useState<CreateClinicResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [touchedIdentity, setTouchedIdentity] = useState(false);

  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const index = STEPS.findIndex((s) => s.step === step);
  const go = (next: Step) => {
    setError(null);
    setStep(next);
  };
  const next = () => go(STEPS[index + 1]?.step ?? 'review');
  const back = () => go(STEPS[index - 1]?.step ?? 'profile');

  const create = async () => {
    setBusy(true);
    setError(null);
    try {
      setCreated(await api.post<CreateClinicResponse>('/v1/admin/clinics', toBody(draft)));
    } catch (err) {
      setError(errorMessage(err));
      const field = err instanceof ApiError ? err.details?.field : undefined;
      if (field === 'slug' || field === 'code') setStep('identity');
    } finally {
      setBusy(false);
    }
  };

  if (created) {
    return (
      <section>
        <PageHeader
          title="Clinic created"
          subtitle={`${created.clinic.name} is on a trial until ${formatDate(created.clinic.trialEndsAt)}.`}
        />
        <div className="card stack">
          <h2>Send this link to {created.admin.displayName}</h2>
          <p>
            They open it, choose a password, and sign in to the desktop app with clinic{' '}
            <code>{created.clinic.slug}</code> and username <code>{created.admin.username}</code>.
          </p>
          <OneTimeLink
            url={created.setupLink.url}
            expiresAt={created.setupLink.expiresAt}
            label="One-time setup link"
          />
          <div className="button-row">
            <Link to={`/clinics/${created.clinic.id}`} className="button button-primary">
              Open the clinic page
            </Link>
            <button
              type="button"
              className="button"
              onClick={() => {
                setCreated(null);
                setDraft(initialDraft());
                setTouchedIdentity(false);
                setStep('profile');
              }}
            >
              Create another clinic
            </button>
          </div>
        </div>
      </section>
    );
  }

  return (
    <section>
      <PageHeader
        title="New clinic"
        subtitle={`Step ${index + 1} of ${STEPS.length}: ${STEPS[index]?.label}`}
      />
      <ol className="stepper" aria-label="Steps">
        {STEPS.map((s, i) => (
          <li
            key={s.step}
            className={i < index ? 'done' : i === index ? 'current' : ''}
            aria-current={i === index ? 'step' : undefined}
          >
            {i < index ? (
              <button type="button" className="step-button" onClick={() => go(s.step)}>
                <span className="step-number" aria-hidden="true">
                  {i + 1}
                </span>
                {s.label}
                <span className="sr-only"> (done, go back)</span>
              </button>
            ) : (
              <span className="step-button">
                <span className="step-number" aria-hidden="true">
                  {i + 1}
                </span>
                {s.label}
              </span>
            )}
          </li>
        ))}
      </ol>
      {error ? <Notice tone="error">{error}</Notice> : null}
      {step === 'profile' ? (
        <StepForm title="Clinic profile" onNext={next}>
          <TextField
            label="Clinic name"
            name="name"
            required
            maxLength={200}
            autoComplete="off"
            value={draft.name}
            onChange={(e) => {
              const name = e.target.value;
              set(touchedIdentity ? { name } : { name, slug: suggestSlug(name), code: suggestCode(name) });
            }}
          />
          <div className="grid-2">
            <TextField
              label="City"
              name="city"
              maxLength={100}
              value={draft.city}
              onChange={(e) => set({ city: e.target.value })}
            />
            <TextField
              label="State"
              name="state"
              maxLength={100}
              value={draft.state}
              onChange={(e) => set({ state: e.target.value })}
            />
          </div>
          <TextField
            label="Address"
            name="address"
            maxLength={500}
            value={draft.address}
            onChange={(e) => set({ address: e.target.value })}
          />
          <div className="grid-2">
            <TextField
              label="Phone"
              name="phone"
              type="tel"
              value={draft.phone}
              onChange={(e) => set({ phone: e.target.value })}
            />
            <TextField
              label="Email"
              name="email"
              type="email"
              value={draft.email}
              onChange={(e) => set({ email: e.target.value })}
            />
          </div>
        </StepForm>
      ) : null}
      {step === 'identity' ? (
        <IdentityStep
          slug={draft.slug}
          code={draft.code}
          onChange={(patch) => {
            setTouchedIdentity(true);
            set(patch);
          }}
          onBack={back}
          onNext={next}
        />
      ) : null}
      {step === 'limits' ? (
        <StepForm title="Plan and limits" onBack={back} onNext={next}>
          <TextField
            label="Plan"
            name="plan"
            required
            maxLength={50}
            list="plan-names"
            value={draft.plan}
            onChange={(e) => set({ plan: e.target.value })}
          />
          <datalist id="plan-names">
            <option value="trial" />
            <option value="basic" />
            <option value="standard" />
            <option value="premium" />
          </datalist>
          <fieldset className="fieldset">
            <legend>Limits</legend>
            <p className="field-hint">Leave blank for no limit.</p>
            <div className="grid-2">
              {RESOURCES.map((r) => {
                const key = LIMIT_KEYS[r];
                return (
                  <TextField
                    key={key}
                    label={`Max ${RESOURCE_LABELS[r].toLowerCase()}`}
                    name={key}
                    type="number"
                    min={0}
                    step={1}
                    inputMode="numeric"
                    value={draft.limits[key]}
                    onChange={(e) => set({ limits: { ...draft.limits, [key]: e.target.value } })}
                  />
                );
              })}
            </div>
          </fieldset>
          <TextField
            label="Trial ends"
            name="trialEnds"
            type="date"
            required
            value={draft.trialEnds}
            onChange={(e) => set({ trialEnds: e.target.value })}
            hint="The clinic has full use until then; 14 days by default."
          />
        </StepForm>
      ) : null}
      {step === 'admin' ? (
        <StepForm title="First clinic admin" onBack={back} onNext={next}>
          <p>
            The clinic admin manages the clinic's staff, devices and settings. They get a one-time link to
            choose their own password; you never see it.
          </p>
          <div className="grid-2">
            <TextField
              label="Full name"
              name="adminName"
              required
              maxLength={100}
              value={draft.adminName}
              onChange={(e) => set({ adminName: e.target.value })}
            />
            <TextField
              label="Username"
              name="adminUsername"
              required
              pattern="[a-z0-9][a-z0-9._\-]{2,31}"
              autoCapitalize="none"
              spellCheck={false}
              hint="3–32 lowercase letters, digits, “.”, “_” or “-”."
              value={draft.adminUsername}
              onChange={(e) => set({ adminUsername: e.target.value.toLowerCase() })}
            />
            <TextField
              label="Phone"
              name="adminPhone"
              type="tel"
              value={draft.adminPhone}
              onChange={(e) => set({ adminPhone: e.target.value })}
            />
            <TextField
              label="Email"
              name="adminEmail"
              type="email"
              value={draft.adminEmail}
              onChange={(e) => set({ adminEmail: e.target.value })}
            />
          </div>
        </StepForm>
      ) : null}
      {step === 'review' ? (
        <StepForm
          title="Review and create"
          onBack={back}
          onNext={() => void create()}
          nextLabel={busy ? 'Creating…' : 'Create clinic'}
          busy={busy}
        >
          <Review draft={draft} />
        </StepForm>
      ) : null}
    </section>
  );
}

function StepForm({
  title,
  children,
  onBack,
  onNext,
  nextLabel = 'Next',
  busy = false,
  canContinue = true,
}: {
  title: string;
  children: ReactNode;
  onBack?: () => void;
  onNext: () => void;
  nextLabel?: string;
  busy?: boolean;
  canContinue?: boolean;
}) {
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (canContinue) onNext();
  };
  return (
    <form className="card stack wizard-step" onSubmit={submit} aria-label={title}>
      <h2>{title}</h2>
      {children}
      <div className="button-row">
        {onBack ? (
          <button type="button" className="button" onClick={onBack}>
            Back
          </button>
        ) : null}
        <button type="submit" className="button button-primary" disabled={busy || !canContinue}>
          {nextLabel}
        </button>
      </div>
    </form>
  );
}

type Check = { state: 'idle' | 'checking' | 'done' | 'failed'; result: IdentityAvailability | null };

function IdentityStep({
  slug,
  code,
  onChange,
  onBack,
  onNext,
}: {
  slug: string;
  code: string;
  onChange: (patch: { slug?: string; code?: string }) => void;
  onBack: () => void;
  onNext: () => void;
}) {
  const { api } = useServices();
  const [check, setCheck] = useState<Check>({ state: 'idle', result: null });

  // Ask the server as the user types (debounced); a stale answer never overwrites a newer one.
  useEffect(() => {
    if (!slug && !code) {
      setCheck({ state: 'idle', result: null });
      return;
    }
    const controller = new AbortController();
    setCheck((c) => ({ state: 'checking', result: c.result }));
    const timer = window.setTimeout(() => {
      api
        .get<IdentityAvailability>('/v1/admin/overview/identity', { slug, code }, controller.signal)
        .then((result) => setCheck({ state: 'done', result }))
        .catch(() => {
          if (!controller.signal.aborted) setCheck({ state: 'failed', result: null });
        });
    }, 300);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [api, slug, code]);

  const current = check.state === 'done' ? check.result : null;
  const ok = Boolean(
    current?.slug?.available &&
      current?.code?.available &&
      current.slug.value === slug &&
      current.code.value === code,
  );

  return (
    <StepForm title="Clinic code and sign-in slug" onBack={onBack} onNext={onNext} canContinue={ok}>
      <TextField
        label="Clinic code"
        name="code"
        required
        maxLength={8}
        autoCapitalize="characters"
        spellCheck={false}
        value={code}
        onChange={(e) => onChange({ code: e.target.value.toUpperCase().replace(/[^A-Z0-9]/g, '') })}
        hint={
          <>
            2–8 capital letters or digits, part of every patient code (PT-{code || 'CODE'}-2026-0001). It
            cannot change later. <AvailabilityText kind="code" check={check} value={code} />
          </>
        }
        error={
          current?.code && !current.code.available && current.code.value === code
            ? current.code.message
            : null
        }
      />
      <TextField
        label="Sign-in slug"
        name="slug"
        required
        maxLength={63}
        autoCapitalize="none"
        spellCheck={false}
        value={slug}
        onChange={(e) => onChange({ slug: e.target.value.toLowerCase() })}
        hint={
          <>
            Staff type it when they sign in; lowercase letters, digits and hyphens.{' '}
            <AvailabilityText kind="slug" check={check} value={slug} />
          </>
        }
        error={
          current?.slug && !current.slug.available && current.slug.value === slug
            ? current.slug.message
            : null
        }
      />
      {check.state === 'failed' ? (
        <Notice tone="error">Could not check availability; try again.</Notice>
      ) : null}
    </StepForm>
  );
}

function AvailabilityText({ kind, check, value }: { kind: 'slug' | 'code'; check: Check; value: string }) {
  const answer: Availability | null | undefined = check.result?.[kind];
  let text = '';
  if (!value) text = '';
  else if (check.state === 'checking' || answer?.value !== value) text = 'Checking…';
  else if (answer?.available) text = `✓ “${value}” is available.`;
  return (
    <span
      role="status"
      className={answer?.available && answer.value === value && check.state === 'done' ? 'ok-text' : ''}
    >
      {text}
    </span>
  );
}

function Review({ draft }: { draft: Draft }) {
  const limitText = (v: string) => (v.trim() === '' ? 'No limit' : v);
  const rows: [string, ReactNode][] = [
    ['Clinic name', draft.name],
    ['City', [draft.city, draft.state].filter(Boolean).join(', ') || '—'],
    ['Clinic code', <code key="c">{draft.code}</code>],
    ['Sign-in slug', <code key="s">{draft.slug}</code>],
    ['Plan', draft.plan],
    ...RESOURCES.map((r): [string, ReactNode] => [
      `Max ${RESOURCE_LABELS[r].toLowerCase()}`,
      limitText(draft.limits[LIMIT_KEYS[r]]),
    ]),
    ['Trial ends', draft.trialEnds ? formatDate(new Date(`${draft.trialEnds}T12:00:00`).toISOString()) : '—'],
    ['First admin', `${draft.adminName} (${draft.adminUsername})`],
  ];
  return (
    <dl className="facts facts-review">
      {rows.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
