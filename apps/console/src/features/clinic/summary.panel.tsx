import type { ClinicDetail, ClinicUsageHistory } from '../../api/api.types';
import { useServices } from '../../app/services';
import { BarChart } from '../../ui/bar-chart';
import {
  formatAgo,
  formatDate,
  formatDateTime,
  LIMIT_KEYS,
  RESOURCE_LABELS,
  RESOURCES,
} from '../../ui/format';
import { ErrorNotice } from '../../ui/notice';
import { UsageBar } from '../../ui/usage-bar';
import { useApiData } from '../../ui/use-api-data';

/** Usage against each limit, the clinic's key facts, and patients and visits per month. */
export function SummaryPanel({ clinic }: { clinic: ClinicDetail }) {
  const { api } = useServices();
  const history = useApiData(
    (signal) =>
      api.get<ClinicUsageHistory>(`/v1/admin/overview/clinics/${clinic.id}/usage`, { months: 12 }, signal),
    [clinic.id],
  );
  return (
    <div className="panel-grid">
      <article className="card">
        <h2>Usage against limits</h2>
        <div className="stack">
          {RESOURCES.map((r) => (
            <UsageBar
              key={r}
              label={RESOURCE_LABELS[r]}
              used={clinic.usage[r]}
              limit={clinic.limits[LIMIT_KEYS[r]]}
            />
          ))}
        </div>
      </article>
      <article className="card">
        <h2>At a glance</h2>
        <dl className="facts">
          <div>
            <dt>Plan</dt>
            <dd>{clinic.plan}</dd>
          </div>
          <div>
            <dt>Trial ends</dt>
            <dd>{formatDate(clinic.trialEndsAt)}</dd>
          </div>
          <div>
            <dt>Paid until</dt>
            <dd>{formatDate(clinic.paidUntil)}</dd>
          </div>
          <div>
            <dt>Last sync</dt>
            <dd title={formatDateTime(clinic.lastSyncAt)}>{formatAgo(clinic.lastSyncAt)}</dd>
          </div>
          <div>
            <dt>City</dt>
            <dd>{[clinic.city, clinic.state].filter(Boolean).join(', ') || '—'}</dd>
          </div>
          <div>
            <dt>Time zone</dt>
            <dd>{clinic.timezone}</dd>
          </div>
          <div>
            <dt>Created</dt>
            <dd>{formatDate(clinic.createdAt)}</dd>
          </div>
          <div>
            <dt>Last changed</dt>
            <dd>{formatDateTime(clinic.updatedAt)}</dd>
          </div>
        </dl>
      </article>
      <article className="card panel-wide">
        <ErrorNotice error={history.error} retry={history.reload} />
        {history.data ? (
          <BarChart
            title="Patients registered and visits per month"
            months={history.data.months.map((m) => m.month)}
            series={[
              {
                name: 'Patients registered',
                tone: 'primary',
                values: history.data.months.map((m) => m.patients),
              },
              { name: 'Visits', tone: 'secondary', values: history.data.months.map((m) => m.visits) },
            ]}
          />
        ) : history.error ? null : (
          <p role="status">Loading usage history…</p>
        )}
      </article>
    </div>
  );
}
