import { type FormEvent, useState } from 'react';
import type {
  AuditEvent,
  ClinicDetail,
  Limits,
  SubscriptionStatus,
  UpdateClinicBody,
} from '../../api/api.types';
import { useServices } from '../../app/services';
import { SelectField, TextArea, TextField } from '../../ui/field';
import {
  endOfDayIso,
  formatDateTime,
  LIMIT_KEYS,
  RESOURCE_LABELS,
  RESOURCES,
  toDateInput,
} from '../../ui/format';
import { errorMessage, Notice } from '../../ui/notice';
import { STATUS_OPTIONS, StatusBadge } from '../../ui/status-badge';

/**
 * Subscription status (with a required reason, recorded in the audit log), deactivation, plan,
 * limits and dates, and the history of status changes.
 */
type Props = { clinic: ClinicDetail; onChange: (clinic: ClinicDetail) => void };
type Outcome = { tone: 'success' | 'error'; text: string } | null;

const STATUS_EFFECT: Record<SubscriptionStatus, string> = {
  trial: 'Full use until the trial end date.',
  active: 'Full use until the paid-until date (if set).',
  expired: 'Read-only: staff can sign in and read, every change is refused.',
  suspended: 'No sign-in and no sync; every session of the clinic ends now.',
};

export function SubscriptionPanel({ clinic, onChange }: Props) {
  return (
    <div className="panel-grid">
      <StatusForm clinic={clinic} onChange={onChange} />
      <LimitsForm clinic={clinic} onChange={onChange} />
      <AccountForm clinic={clinic} onChange={onChange} />
      <StatusHistory events={clinic.statusHistory} />
    </div>
  );
}

function StatusForm({ clinic, onChange }: Props) {
  const { api } = useServices();
  const [status, setStatus] = useState<SubscriptionStatus>(
    clinic.subscriptionStatus === 'suspended' ? 'active' : 'suspended',
  );
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setOutcome(null);
    try {
      const updated = await api.post<ClinicDetail>(`/v1/admin/clinics/${clinic.id}/status`, {
        status,
        reason: reason.trim(),
      });
      onChange(updated);
      setReason('');
      setStatus(updated.subscriptionStatus === 'suspended' ? 'active' : 'suspended');
      setOutcome({ tone: 'success', text: `Status changed to ${status}.` });
    } catch (err) {
      setOutcome({ tone: 'error', text: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <article className="card">
      <h2>Subscription status</h2>
      <p>
        Now: <StatusBadge status={clinic.subscriptionStatus} isActive={clinic.isActive} />
      </p>
      <form className="stack" onSubmit={submit} aria-label="Change subscription status">
        {outcome ? <Notice tone={outcome.tone}>{outcome.text}</Notice> : null}
        <SelectField
          label="New status"
          name="status"
          value={status}
          onChange={(e) => setStatus(e.target.value as SubscriptionStatus)}
          options={STATUS_OPTIONS}
          hint={STATUS_EFFECT[status]}
        />
        <TextArea
          label="Reason"
          name="reason"
          required
          minLength={3}
          maxLength={500}
          rows={3}
          hint="Recorded in the audit log with your name."
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
        <button
          type="submit"
          className={`button ${status === 'suspended' ? 'button-danger' : 'button-primary'}`}
          disabled={busy || reason.trim().length < 3 || status === clinic.subscriptionStatus}
        >
          {busy ? 'Saving…' : status === 'suspended' ? 'Suspend clinic' : 'Change status'}
        </button>
      </form>
    </article>
  );
}

type LimitInputs = Record<keyof Limits, string>;

function limitInputs(limits: Limits): LimitInputs {
  const text = (n: number | null) => (n === null ? '' : String(n));
  return {
    maxPatients: text(limits.maxPatients),
    maxDoctors: text(limits.maxDoctors),
    maxReceptionists: text(limits.maxReceptionists),
    maxLabTechs: text(limits.maxLabTechs),
  };
}

function LimitsForm({ clinic, onChange }: Props) {
  const { api } = useServices();
  const [plan, setPlan] = useState(clinic.plan);
  const [limits, setLimits] = useState<LimitInputs>(() => limitInputs(clinic.limits));
  const [trialEnds, setTrialEnds] = useState(toDateInput(clinic.trialEndsAt));
  const [paidUntil, setPaidUntil] = useState(toDateInput(clinic.paidUntil));
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    // Only what changed is sent, so the audit log records exactly the changes.
    const body: UpdateClinicBody = {};
    if (plan.trim() !== clinic.plan) body.plan = plan.trim();
    const changedLimits: Partial<Limits> = {};
    for (const r of RESOURCES) {
      const key = LIMIT_KEYS[r];
      const value = limits[key].trim() === '' ? null : Number(limits[key]);
      if (value !== clinic.limits[key]) changedLimits[key] = value;
    }
    if (Object.keys(changedLimits).length) body.limits = changedLimits;
    if (trialEnds !== toDateInput(clinic.trialEndsAt)) body.trialEndsAt = endOfDayIso(trialEnds);
    if (paidUntil !== toDateInput(clinic.paidUntil)) body.paidUntil = endOfDayIso(paidUntil);
    if (Object.keys(body).length === 0) {
      setOutcome({ tone: 'success', text: 'Nothing changed.' });
      return;
    }
    setBusy(true);
    setOutcome(null);
    try {
      const updated = await api.patch<ClinicDetail>(`/v1/admin/clinics/${clinic.id}`, body);
      onChange(updated);
      setLimits(limitInputs(updated.limits));
      setOutcome({ tone: 'success', text: 'Plan and limits saved.' });
    } catch (err) {
      setOutcome({ tone: 'error', text: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <article className="card">
      <h2>Plan, limits and dates</h2>
      <form className="stack" onSubmit={submit} aria-label="Plan, limits and dates">
        {outcome ? <Notice tone={outcome.tone}>{outcome.text}</Notice> : null}
        <TextField
          label="Plan"
          name="plan"
          required
          maxLength={50}
          value={plan}
          onChange={(e) => setPlan(e.target.value)}
        />
        <fieldset className="fieldset">
          <legend>Limits</legend>
          <p className="field-hint">
            Leave blank for no limit. Lowering a limit keeps existing records and blocks new ones.
          </p>
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
                  value={limits[key]}
                  onChange={(e) => setLimits({ ...limits, [key]: e.target.value })}
                />
              );
            })}
          </div>
        </fieldset>
        <div className="grid-2">
          <TextField
            label="Trial ends"
            name="trialEndsAt"
            type="date"
            value={trialEnds}
            onChange={(e) => setTrialEnds(e.target.value)}
          />
          <TextField
            label="Paid until"
            name="paidUntil"
            type="date"
            value={paidUntil}
            onChange={(e) => setPaidUntil(e.target.value)}
          />
        </div>
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save plan and limits'}
        </button>
      </form>
    </article>
  );
}

function AccountForm({ clinic, onChange }: Props) {
  const { api } = useServices();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const next = !clinic.isActive;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setOutcome(null);
    try {
      const updated = await api.post<ClinicDetail>(`/v1/admin/clinics/${clinic.id}/active`, {
        isActive: next,
        reason: reason.trim(),
      });
      onChange(updated);
      setReason('');
      setOutcome({ tone: 'success', text: next ? 'Clinic reopened.' : 'Clinic deactivated.' });
    } catch (err) {
      setOutcome({ tone: 'error', text: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <article className="card">
      <h2>Account</h2>
      <p>
        {clinic.isActive
          ? 'Deactivating closes the account: no sign-in, no sync, every session ends. Records are kept.'
          : 'This clinic is deactivated. Reopening restores sign-in and sync under its subscription status.'}
      </p>
      <form className="stack" onSubmit={submit} aria-label={next ? 'Reopen clinic' : 'Deactivate clinic'}>
        {outcome ? <Notice tone={outcome.tone}>{outcome.text}</Notice> : null}
        <TextArea
          label={next ? 'Reason for reopening' : 'Reason for deactivating'}
          name="accountReason"
          required
          minLength={3}
          maxLength={500}
          rows={2}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
        <button
          type="submit"
          className={`button ${next ? 'button-primary' : 'button-danger'}`}
          disabled={busy || reason.trim().length < 3}
        >
          {busy ? 'Saving…' : next ? 'Reopen clinic' : 'Deactivate clinic'}
        </button>
      </form>
    </article>
  );
}

function describeChange(e: AuditEvent): string {
  const d = e.details;
  if (e.action === 'clinic.status.changed') return `${String(d.from)} → ${String(d.to)}`;
  if (e.action === 'clinic.status.deactivated') return 'Deactivated';
  if (e.action === 'clinic.status.reactivated') return 'Reopened';
  return e.action;
}

function StatusHistory({ events }: { events: AuditEvent[] }) {
  return (
    <article className="card panel-wide">
      <h2>Status history</h2>
      {events.length === 0 ? (
        <p>No status change yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="sr-only">Status changes, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Change</th>
                <th scope="col">Reason</th>
                <th scope="col">By</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.id}>
                  <td>{formatDateTime(e.at)}</td>
                  <td>{describeChange(e)}</td>
                  <td>{typeof e.details.reason === 'string' ? e.details.reason : '—'}</td>
                  <td>
                    {e.actorRole ?? e.actorType}{' '}
                    <span className="muted small">{e.actorId?.slice(0, 8) ?? ''}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </article>
  );
}
