import type { ClinicSort, SubscriptionStatus } from '../../api/api.types';

/**
 * The clinics table's state, kept in the URL (`/clinics?status=trial&q=pune&page=2`) so it survives
 * a reload and back/forward, and its translation to the server's paged query. Filtering, sorting
 * and paging all happen on the server, so the table stays fast with thousands of clinics.
 */
export type ClinicsQuery = {
  status: SubscriptionStatus | '';
  account: 'open' | 'closed' | '';
  q: string;
  sort: ClinicSort;
  order: 'asc' | 'desc';
  page: number;
  size: number;
};

export const PAGE_SIZES = [25, 50, 100] as const;
const STATUSES = ['trial', 'active', 'expired', 'suspended'] as const;
const SORTS = ['name', 'created', 'status'] as const;

function oneOf<T extends string>(value: string | null, allowed: readonly T[], fallback: T | ''): T | '' {
  return value && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

export function parseClinicsQuery(search: URLSearchParams): ClinicsQuery {
  const size = Number(search.get('size'));
  const page = Number(search.get('page'));
  return {
    status: oneOf(search.get('status'), STATUSES, ''),
    account: oneOf(search.get('account'), ['open', 'closed'] as const, ''),
    q: (search.get('q') ?? '').slice(0, 100),
    sort: oneOf(search.get('sort'), SORTS, 'name') || 'name',
    order: search.get('order') === 'desc' ? 'desc' : 'asc',
    page: Number.isInteger(page) && page > 0 ? page : 1,
    size: (PAGE_SIZES as readonly number[]).includes(size) ? size : 50,
  };
}

/** The in-app URL of a query, leaving defaults out. */
export function clinicsHref(q: ClinicsQuery): string {
  const params = new URLSearchParams();
  if (q.status) params.set('status', q.status);
  if (q.account) params.set('account', q.account);
  if (q.q) params.set('q', q.q);
  if (q.sort !== 'name') params.set('sort', q.sort);
  if (q.order !== 'asc') params.set('order', q.order);
  if (q.page !== 1) params.set('page', String(q.page));
  if (q.size !== 50) params.set('size', String(q.size));
  const text = params.toString();
  return text ? `/clinics?${text}` : '/clinics';
}

/** The server query (`GET /v1/admin/clinics`) of a table state. */
export function serverQuery(q: ClinicsQuery) {
  return {
    status: q.status || undefined,
    isActive: q.account === 'open' ? 'true' : q.account === 'closed' ? 'false' : undefined,
    search: q.q.trim() || undefined,
    sort: q.sort,
    order: q.order,
    limit: q.size,
    offset: (q.page - 1) * q.size,
  };
}
