import { useEffect, useState } from 'react';
import type { ClinicList, ClinicSort, ClinicSummary } from '../../api/api.types';
import { Link, navigate, useLocation } from '../../app/router';
import { useServices } from '../../app/services';
import { SelectField, TextField } from '../../ui/field';
import {
  formatAgo,
  formatDate,
  formatDateTime,
  formatNumber,
  LIMIT_KEYS,
  RESOURCE_LABELS,
  RESOURCES,
} from '../../ui/format';
import { ErrorNotice } from '../../ui/notice';
import { PageHeader } from '../../ui/page-header';
import { STATUS_OPTIONS, StatusBadge } from '../../ui/status-badge';
import { UsageBar } from '../../ui/usage-bar';
import { useApiData } from '../../ui/use-api-data';
import { type ClinicsQuery, clinicsHref, PAGE_SIZES, parseClinicsQuery, serverQuery } from './clinics-query';

/** Every clinic: filter by status, search, sort and page on the server; usage against each limit. */
export function ClinicsScreen() {
  const { api } = useServices();
  const { search } = useLocation();
  const query = parseClinicsQuery(search);
  const key = clinicsHref(query);
  const list = useApiData(
    (signal) => api.get<ClinicList>('/v1/admin/clinics', serverQuery(query), signal),
    [key],
  );

  const go = (change: Partial<ClinicsQuery>) =>
    navigate(clinicsHref({ ...query, page: 1, ...change }), { replace: true });

  // Search as you type, without a request per keystroke.
  const [text, setText] = useState(query.q);
  // Follow the URL (back, forward, a status link) without eating a space the user just typed.
  useEffect(() => setText((current) => (current.trim() === query.q ? current : query.q)), [query.q]);
  useEffect(() => {
    if (text.trim() === query.q.trim()) return;
    const timer = window.setTimeout(() => go({ q: text.trim() }), 300);
    return () => window.clearTimeout(timer);
  });

  const data = list.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / query.size)) : 1;
  const from = data && data.total > 0 ? (query.page - 1) * query.size + 1 : 0;
  const to = data ? Math.min(data.total, query.page * query.size) : 0;

  return (
    <section>
      <PageHeader
        title="Clinics"
        subtitle={
          data ? `${formatNumber(data.total)} clinic${data.total === 1 ? '' : 's'} match` : 'Loading…'
        }
        actions={
          <Link to="/clinics/new" className="button button-primary">
            New clinic
          </Link>
        }
      />
      <form className="filters" aria-label="Filter clinics" onSubmit={(e) => e.preventDefault()}>
        <TextField
          label="Search"
          type="search"
          placeholder="Name, code, city or slug"
          value={text}
          onChange={(e) => setText(e.target.value)}
          className="filter-search"
        />
        <SelectField
          label="Status"
          value={query.status}
          onChange={(e) => go({ status: e.target.value as ClinicsQuery['status'] })}
          options={[{ value: '', label: 'All statuses' }, ...STATUS_OPTIONS]}
        />
        <SelectField
          label="Account"
          value={query.account}
          onChange={(e) => go({ account: e.target.value as ClinicsQuery['account'] })}
          options={[
            { value: '', label: 'Open and deactivated' },
            { value: 'open', label: 'Open' },
            { value: 'closed', label: 'Deactivated' },
          ]}
        />
      </form>
      <ErrorNotice error={list.error} retry={list.reload} />
      <div className="table-wrap">
        <table className="table clinics-table" aria-busy={list.loading}>
          <caption className="sr-only">
            Clinics, sorted by {query.sort} ({query.order === 'asc' ? 'ascending' : 'descending'}), page{' '}
            {query.page} of {pages}
          </caption>
          <thead>
            <tr>
              <SortHeader label="Name" sort="name" query={query} onSort={go} />
              <th scope="col">Code</th>
              <th scope="col">City</th>
              <SortHeader label="Status" sort="status" query={query} onSort={go} />
              <th scope="col">Plan</th>
              <th scope="col">Usage against limits</th>
              <th scope="col">Last sync</th>
              <SortHeader label="Created" sort="created" query={query} onSort={go} />
            </tr>
          </thead>
          <tbody>
            {data?.clinics.map((c) => (
              <ClinicRow key={c.id} clinic={c} />
            ))}
            {data && data.clinics.length === 0 ? (
              <tr>
                <td colSpan={8} className="empty">
                  No clinic matches these filters.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <nav className="pager" aria-label="Pages of clinics">
        <p>
          {data ? `Showing ${formatNumber(from)}–${formatNumber(to)} of ${formatNumber(data.total)}` : ''}
          {list.loading ? <span className="muted"> · loading…</span> : null}
        </p>
        <div className="pager-controls">
          <SelectField
            label="Rows per page"
            className="field-inline"
            value={String(query.size)}
            onChange={(e) => go({ size: Number(e.target.value) })}
            options={PAGE_SIZES.map((n) => ({ value: String(n), label: String(n) }))}
          />
          <button
            type="button"
            className="button"
            disabled={query.page <= 1}
            onClick={() => go({ page: query.page - 1 })}
          >
            Previous
          </button>
          <span>
            Page {query.page} of {formatNumber(pages)}
          </span>
          <button
            type="button"
            className="button"
            disabled={query.page >= pages}
            onClick={() => go({ page: query.page + 1 })}
          >
            Next
          </button>
        </div>
      </nav>
    </section>
  );
}

function SortHeader({
  label,
  sort,
  query,
  onSort,
}: {
  label: string;
  sort: ClinicSort;
  query: ClinicsQuery;
  onSort: (change: Partial<ClinicsQuery>) => void;
}) {
  const active = query.sort === sort;
  const next = active && query.order === 'asc' ? 'desc' : 'asc';
  return (
    <th scope="col" aria-sort={active ? (query.order === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <button type="button" className="sort-button" onClick={() => onSort({ sort, order: next })}>
        {label}
        <span aria-hidden="true" className="sort-arrow">
          {active ? (query.order === 'asc' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  );
}

function ClinicRow({ clinic: c }: { clinic: ClinicSummary }) {
  return (
    <tr>
      <th scope="row" className="clinic-name">
        <Link to={`/clinics/${c.id}`}>{c.name}</Link>
        <span className="muted small">{c.slug}</span>
      </th>
      <td>
        <code>{c.code}</code>
      </td>
      <td>{c.city || <span className="muted">—</span>}</td>
      <td>
        <StatusBadge status={c.subscriptionStatus} isActive={c.isActive} />
      </td>
      <td>{c.plan}</td>
      <td className="usage-cell">
        <div className="usage-grid">
          {RESOURCES.map((r) => (
            <UsageBar
              key={r}
              label={RESOURCE_LABELS[r]}
              used={c.usage[r]}
              limit={c.limits[LIMIT_KEYS[r]]}
              compact
            />
          ))}
        </div>
      </td>
      <td>
        <time dateTime={c.lastSyncAt ?? undefined} title={formatDateTime(c.lastSyncAt)}>
          {formatAgo(c.lastSyncAt)}
        </time>
      </td>
      <td>
        <time dateTime={c.createdAt}>{formatDate(c.createdAt)}</time>
      </td>
    </tr>
  );
}
