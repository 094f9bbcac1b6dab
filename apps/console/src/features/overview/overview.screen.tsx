import type { PlatformOverview } from '../../api/api.types';
import type { ApiClient } from '../../api/api-client';
import { Link } from '../../app/router';
import { useServices } from '../../app/services';
import { BarChart } from '../../ui/bar-chart';
import { formatDateTime, formatNumber, RESOURCE_LABELS } from '../../ui/format';
import { ErrorNotice } from '../../ui/notice';
import { PageHeader } from '../../ui/page-header';
import { STATUS_OPTIONS, StatusBadge } from '../../ui/status-badge';
import { UsageBar } from '../../ui/usage-bar';
import { useApiData } from '../../ui/use-api-data';

/** The platform at a glance: clinics by status, devices, sync errors, growth, clinics near a limit. */
export function OverviewScreen() {
  const { api } = useServices();
  const { data, error, reload } = useOverview(api);

  return (
    <section>
      <PageHeader
        title="Platform overview"
        subtitle={data ? `Updated ${formatDateTime(data.generatedAt)}` : 'Loading…'}
        actions={
          <button type="button" className="button" onClick={reload}>
            Refresh
          </button>
        }
      />
      <ErrorNotice error={error} retry={reload} />
      {data ? <OverviewBody data={data} /> : null}
    </section>
  );
}

function useOverview(api: ApiClient) {
  return useApiData((signal) => api.get<PlatformOverview>('/v1/admin/overview', undefined, signal), []);
}

function OverviewBody({ data }: { data: PlatformOverview }) {
  const { clinics, devices, syncErrors24h: sync } = data;
  return (
    <>
      <div className="card-grid">
        <article className="card stat-card" aria-labelledby="stat-clinics">
          <h2 id="stat-clinics">Clinics</h2>
          <p className="stat-value">{formatNumber(clinics.total)}</p>
          <ul className="status-counts">
            {STATUS_OPTIONS.map((s) => (
              <li key={s.value}>
                <Link to={`/clinics?status=${s.value}`} className="status-count">
                  <StatusBadge status={s.value} />{' '}
                  <span className="count">{formatNumber(clinics.byStatus[s.value])}</span>
                </Link>
              </li>
            ))}
          </ul>
          {clinics.inactive > 0 ? (
            <p className="muted">
              <Link to="/clinics?account=closed">{formatNumber(clinics.inactive)} deactivated</Link>
            </p>
          ) : null}
        </article>
        <article className="card stat-card" aria-labelledby="stat-devices">
          <h2 id="stat-devices">Active devices</h2>
          <p className="stat-value">{formatNumber(devices.syncedLast24h)}</p>
          <p className="muted">synced in the last 24 hours</p>
          <dl className="mini-stats">
            <div>
              <dt>Last 7 days</dt>
              <dd>{formatNumber(devices.syncedLast7d)}</dd>
            </div>
            <div>
              <dt>Approved</dt>
              <dd>{formatNumber(devices.approved)}</dd>
            </div>
            <div>
              <dt>Waiting approval</dt>
              <dd>{formatNumber(devices.pending)}</dd>
            </div>
          </dl>
        </article>
        <article
          className={`card stat-card ${sync.refusedGroups > 0 ? 'card-warning' : ''}`}
          aria-labelledby="stat-sync"
        >
          <h2 id="stat-sync">Sync errors, last 24 h</h2>
          <p className="stat-value">{formatNumber(sync.refusedGroups)}</p>
          <p className="muted">
            refused change groups
            {sync.clinics ? ` in ${formatNumber(sync.clinics)} clinic${sync.clinics === 1 ? '' : 's'}` : ''}
          </p>
          {sync.byCode.length ? (
            <ul className="plain-list">
              {sync.byCode.map((c) => (
                <li key={c.code}>
                  <code>{c.code}</code> {formatNumber(c.count)}
                </li>
              ))}
            </ul>
          ) : (
            <p>None refused.</p>
          )}
          {sync.topClinics.length ? (
            <>
              <h3>Most affected</h3>
              <ul className="plain-list">
                {sync.topClinics.map((c) => (
                  <li key={c.clinicId}>
                    <Link to={`/clinics/${c.clinicId}/devices`}>{c.name}</Link> {formatNumber(c.refused)}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </article>
      </div>

      <div className="card">
        <BarChart
          title="Patients registered per month, all clinics"
          months={data.patientsPerMonth.map((m) => m.month)}
          series={[
            {
              name: 'Patients registered',
              tone: 'primary',
              values: data.patientsPerMonth.map((m) => m.count),
            },
          ]}
        />
      </div>

      <div className="card">
        <h2>Clinics near their limits</h2>
        <p className="muted">Active clinics using 90% or more of a plan limit.</p>
        {data.nearLimits.length === 0 ? (
          <p>No clinic is near a limit.</p>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <caption className="sr-only">Clinics near their limits</caption>
              <thead>
                <tr>
                  <th scope="col">Clinic</th>
                  <th scope="col">Code</th>
                  <th scope="col">Limit</th>
                  <th scope="col">Usage</th>
                </tr>
              </thead>
              <tbody>
                {data.nearLimits.map((n) => (
                  <tr key={`${n.clinicId}-${n.resource}`}>
                    <td>
                      <Link to={`/clinics/${n.clinicId}/subscription`}>{n.name}</Link>
                    </td>
                    <td>
                      <code>{n.code}</code>
                    </td>
                    <td>{RESOURCE_LABELS[n.resource]}</td>
                    <td className="usage-cell">
                      <UsageBar label={RESOURCE_LABELS[n.resource]} used={n.used} limit={n.limit} compact />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </>
  );
}
