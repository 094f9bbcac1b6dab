import { describe, expect, it } from 'vitest';
import {
  Clinic,
  ClinicCode,
  ClinicInput,
  ClinicProfilePatch,
  ClinicSlug,
  ClinicSubscriptionPatch,
  LogoRef,
} from './clinic.schema';

const input = { code: 'SKH', slug: 'santkrupa', name: 'Santkrupa Hospital' };

describe('Clinic', () => {
  it('fills subscription defaults on create: a trial in Asia/Kolkata with no limits', () => {
    expect(ClinicInput.parse(input)).toMatchObject({
      subscriptionStatus: 'trial',
      timezone: 'Asia/Kolkata',
      maxPatients: null,
      maxLabTechs: null,
      isActive: true,
      logo: null,
    });
  });

  it('validates codes, slugs and time zones', () => {
    expect(ClinicCode.safeParse('SKH2').success).toBe(true);
    for (const bad of ['S', 'skh', 'TOOLONGXX', 'SK-H'])
      expect(ClinicCode.safeParse(bad).success, bad).toBe(false);
    expect(ClinicSlug.safeParse('santkrupa-pune').success).toBe(true);
    for (const bad of ['ab', '-abc', 'abc-', 'Santkrupa', 'a_b_c'])
      expect(ClinicSlug.safeParse(bad).success, bad).toBe(false);
    expect(ClinicInput.safeParse({ ...input, timezone: 'Mars/Olympus' }).success).toBe(false);
  });

  it('accepts a logo as a URL or an image data URL only', () => {
    expect(LogoRef.safeParse('https://cdn.example.com/logo.png').success).toBe(true);
    expect(LogoRef.safeParse('data:image/png;base64,iVBORw0KGgo=').success).toBe(true);
    expect(LogoRef.safeParse('data:text/html;base64,PGgxPg==').success).toBe(false);
    expect(LogoRef.safeParse('javascript:alert(1)').success).toBe(false);
  });

  it('keeps subscription fields out of the admin profile patch', () => {
    expect(ClinicProfilePatch.safeParse({ name: 'New name', letterheadFooter: 'Open 9–5' }).success).toBe(
      true,
    );
    expect(ClinicProfilePatch.safeParse({ subscriptionStatus: 'active' }).success).toBe(false);
    expect(ClinicProfilePatch.safeParse({ maxPatients: 10 }).success).toBe(false);
    expect(ClinicSubscriptionPatch.safeParse({ maxPatients: 10, subscriptionStatus: 'active' }).success).toBe(
      true,
    );
    expect(ClinicSubscriptionPatch.safeParse({ name: 'x' }).success).toBe(false);
    expect(ClinicSubscriptionPatch.safeParse({ maxDoctors: -1 }).success).toBe(false);
  });

  it('parses a stored clinic', () => {
    const stored = {
      ...ClinicInput.parse(input),
      id: '01936b2e-0000-7000-8000-000000000001',
      version: 3,
      createdAt: '2026-11-28T04:30:00.000Z',
      updatedAt: '2026-11-28T04:30:00.000Z',
      deletedAt: null,
    };
    expect(Clinic.parse(stored)).toEqual(stored);
  });
});
