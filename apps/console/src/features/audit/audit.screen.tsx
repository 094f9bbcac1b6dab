import { useEffect, useState } from 'react';
import type { AuditEvent, AuditPage, AuditVerification, ClinicDetail } from '../../api/api.types';
import { Link, navigate, useLocation } from '../../app/router';
import { useServices, useSession } from '../../app/services';
import { TextField } from '../../ui/field';
import { formatDateTime, formatNumber } from '../../ui/format';
import { ErrorNotice, errorMessage, Notice } from '../../ui/notice';
import { PageHeader } from '../../ui/page-header';
import { useApiData } from '../../ui/use-api-data';

/**
 * The platform audit log (newest first, filtered by action prefix and clinic) and the result of
 * recomputing every hash chain, so tampering with any event shows here.
 */
const PAGE = 100;
const ACTION_PREFIXES = [
  'clinic.',
  'clinic.created',
  'clinic.updated',
  'clinic.status',
  'clinic.admin.access_reset',
  'device.',
  'auth.',
  'auth.login',
  'auth.totp',
  'platform_admin.',
];

export function AuditScreen() {
  const { api } = useServices();
  const { search } = useLocation();
  const action = search.get('action') ?? '';
  const clinicId = search.get('clinicId') ?? '';
  const filterKey = `${action}|${clinicId}`;

  const first = useApiData(
    (signal) =>
      api.get<AuditPage>(
        '/v1/admin/audit',
        { action: action || undefined, clinicId: clinicId || undefined, limit: PAGE },
        signal,
      ),
    [filterKey],
  );
  const [older, setOlder] = useState<{ key: string; events: AuditEvent[]; next: number | null } | null>(null);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [olderError, setOlderError] = useState<string | null>(null);
  const events = [...(first.data?.events ?? []), ...(older?.key === filterKey ? older.events : [])];
  const nextBeforeSeq = older?.key === filterKey ? older.next : (first.data?.nextBeforeSeq ?? null);

  const clinic = useApiData(
    (signal) =>
      clinicId
        ? api.get<ClinicDetail>(`/v1/admin/clinics/${clinicId}`, undefined, signal)
        : Promise.resolve(null),
    [clinicId],
  );

  const loadOlder = async () => {
    if (nextBeforeSeq === null) return;
    setLoadingOlder(true);
    setOlderError(null);
    try {
      const page = await api.get<AuditPage>('/v1/admin/audit', {
        action: action || undefined,
        clinicId: clinicId || undefined,
        beforeSeq: nextBeforeSeq,
        limit: PAGE,
      });
      setOlder({
        key: filterKey,
        events: [...(older?.key === filterKey ? older.events : []), ...page.events],
        next: page.nextBeforeSeq,
      });
    } catch (err) {
      setOlderError(errorMessage(err));
    } finally {
      setLoadingOlder(false);
    }
  };

  const setFilter = (change: { action?: string; clinicId?: string }) => {
    const params = new URLSearchParams();
    const nextAction = change.action ?? action;
    const nextClinic = change.clinicId ?? clinicId;
    if (nextAction) params.set('action', nextAction);
    if (nextClinic) params.set('clinicId', nextClinic);
    const text = params.toString();
    navigate(text ? `/audit?${text}` : '/audit', { replace: true });
  };

  // Label the clinics this page mentions (one request per set of ids on screen).
  const clinicIds = [
    ...new Set(events.map((e) => e.clinicId).filter((id): id is string => id !== null)),
  ].slice(0, 200);
  const idsKey = clinicIds.sort().join(',');
  const names = useApiData(
    (signal) =>
      idsKey
        ? api.get<{ clinics: { id: string; name: string }[] }>(
            '/v1/admin/overview/clinic-names',
            { ids: idsKey },
            signal,
          )
        : Promise.resolve({ clinics: [] }),
    [idsKey],
  );
  const nameOf = new Map(names.data?.clinics.map((c) => [c.id, c.name]) ?? []);
  const state = useSession();
  const me = state.kind === 'signed-in' ? state.session.user.id : null;

  const [actionText, setActionText] = useState(action);
  useEffect(() => setActionText(action), [action]);

  return (
    <section>
      <PageHeader
        title="Audit log"
        subtitle="Every platform action, newest first. Events cannot be changed or removed."
      />
      <ChainVerification />
      <form
        className="filters"
        aria-label="Filter the audit log"
        onSubmit={(e) => {
          e.preventDefault();
          setFilter({ action: actionText.trim() });
        }}
      >
        <TextField
          label="Action starts with"
          list="audit-actions"
          placeholder="e.g. clinic.status"
          value={actionText}
          onChange={(e) => setActionText(e.target.value)}
          className="filter-search"
        />
        <datalist id="audit-actions">
          {ACTION_PREFIXES.map((p) => (
            <option key={p} value={p} />
          ))}
        </datalist>
        <button type="submit" className="button">
          Apply
        </button>
        {action || clinicId ? (
          <button type="button" className="button" onClick={() => navigate('/audit', { replace: true })}>
            Clear filters
          </button>
        ) : null}
      </form>
      {clinicId ? (
        <p className="filter-chip">
          Only events about{' '}
          {clinic.data ? (
            <Link to={`/clinics/${clinicId}`}>{clinic.data.name}</Link>
          ) : (
            <code>{clinicId.slice(0, 8)}</code>
          )}
          .{' '}
          <button type="button" className="button-link" onClick={() => setFilter({ clinicId: '' })}>
            Show all clinics
          </button>
        </p>
      ) : null}
      <ErrorNotice error={first.error} retry={first.reload} />
      <div className="table-wrap">
        <table className="table audit-table" aria-busy={first.loading}>
          <caption className="sr-only">Platform audit events, newest first</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">When</th>
              <th scope="col">Action</th>
              <th scope="col">Who</th>
              <th scope="col">Clinic</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr key={e.id}>
                <td className="muted">{e.seq}</td>
                <td className="nowrap">{formatDateTime(e.at)}</td>
                <td>
                  <code>{e.action}</code>
                </td>
                <td>
                  {e.actorRole ?? e.actorType}
                  {e.actorId === me ? (
                    <span className="muted small"> (you)</span>
                  ) : e.actorId ? (
                    <span className="muted small"> {e.actorId.slice(0, 8)}</span>
                  ) : null}
                </td>
                <td>
                  {e.clinicId ? (
                    <Link to={`/clinics/${e.clinicId}`}>
                      {nameOf.get(e.clinicId) ?? e.clinicId.slice(0, 8)}
                    </Link>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                <td>
                  <Details details={e.details} />
                </td>
              </tr>
            ))}
            {first.data && events.length === 0 ? (
              <tr>
                <td colSpan={6} className="empty">
                  No events match.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      {olderError ? <Notice tone="error">{olderError}</Notice> : null}
      {nextBeforeSeq !== null ? (
        <p>
          <button type="button" className="button" onClick={() => void loadOlder()} disabled={loadingOlder}>
            {loadingOlder ? 'Loading…' : 'Load older events'}
          </button>
        </p>
      ) : null}
    </section>
  );
}

function Details({ details }: { details: Record<string, unknown> }) {
  const entries = Object.entries(details);
  if (entries.length === 0) return <span className="muted">—</span>;
  const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  return (
    <dl className="details">
      {entries.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{show(v)}</dd>
        </div>
      ))}
    </dl>
  );
}

function ChainVerification() {
  const { api } = useServices();
  const result = useApiData(
    (signal) => api.get<AuditVerification>('/v1/admin/audit/verify', undefined, signal),
    [],
  );
  const v = result.data;
  return (
    <div className="card verification" aria-live="polite">
      <div className="verification-head">
        <h2>Chain verification</h2>
        <button
          type="button"
          className="button button-small"
          onClick={result.reload}
          disabled={result.loading}
        >
          {result.loading ? 'Verifying…' : 'Verify again'}
        </button>
      </div>
      <ErrorNotice error={result.error} retry={result.reload} />
      {v && !result.loading ? (
        v.ok ? (
          <Notice tone="success">
            All {formatNumber(v.chains)} audit chains are intact ({formatNumber(v.events)} events recomputed).
          </Notice>
        ) : (
          <Notice tone="error">
            {formatNumber(v.breaks.length)} chain{v.breaks.length === 1 ? ' is' : 's are'} broken:
            <ul>
              {v.breaks.map((b) => (
                <li key={`${b.chain}-${b.seq}`}>
                  {b.chain === 'platform' ? (
                    'Platform chain'
                  ) : (
                    <>
                      Chain of <Link to={`/clinics/${b.chain}`}>clinic {b.chain.slice(0, 8)}</Link>
                    </>
                  )}
                  , event #{b.seq}: {b.reason}
                </li>
              ))}
            </ul>
          </Notice>
        )
      ) : null}
    </div>
  );
}
