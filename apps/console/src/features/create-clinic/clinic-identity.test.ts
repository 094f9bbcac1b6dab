import { describe, expect, it } from 'vitest';
import { suggestCode, suggestSlug } from './clinic-identity';

describe('slug and code suggestions', () => {
  it('turns a clinic name into a login slug and a short code', () => {
    expect(suggestSlug('  Sunrise Clinic & Diagnostics, Pune ')).toBe('sunrise-clinic-diagnostics-pune');
    expect(suggestSlug('Clínica São José')).toBe('clinica-sao-jose');
    expect(suggestCode('Sunrise Clinic & Diagnostics')).toBe('SCD');
    expect(suggestCode('Apollo')).toBe('APOLLO');
    expect(suggestCode('')).toBe('');
  });
});
