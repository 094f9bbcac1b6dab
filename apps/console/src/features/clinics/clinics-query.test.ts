import { describe, expect, it } from 'vitest';
import { clinicsHref, parseClinicsQuery, serverQuery } from './clinics-query';

describe('clinics table query', () => {
  it('round-trips through the URL and becomes a paged server query', () => {
    const q = parseClinicsQuery(
      new URLSearchParams('status=suspended&q=pune&sort=created&order=desc&page=3&size=25'),
    );
    expect(q).toEqual({
      status: 'suspended',
      account: '',
      q: 'pune',
      sort: 'created',
      order: 'desc',
      page: 3,
      size: 25,
    });
    expect(clinicsHref(q)).toBe('/clinics?status=suspended&q=pune&sort=created&order=desc&page=3&size=25');
    expect(serverQuery(q)).toEqual({
      status: 'suspended',
      isActive: undefined,
      search: 'pune',
      sort: 'created',
      order: 'desc',
      limit: 25,
      offset: 50,
    });
  });

  it('falls back to defaults for values the server would refuse', () => {
    const q = parseClinicsQuery(new URLSearchParams('status=bogus&sort=usage&page=-2&size=7&account=closed'));
    expect(q).toEqual({
      status: '',
      account: 'closed',
      q: '',
      sort: 'name',
      order: 'asc',
      page: 1,
      size: 50,
    });
    expect(clinicsHref(q)).toBe('/clinics?account=closed');
  });
});
