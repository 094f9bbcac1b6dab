import type { ClinicDetail } from '../../api/api.types';
import { type ClinicTab, Link } from '../../app/router';
import { useServices } from '../../app/services';
import { formatDate } from '../../ui/format';
import { ErrorNotice } from '../../ui/notice';
import { PageHeader } from '../../ui/page-header';
import { StatusBadge } from '../../ui/status-badge';
import { useApiData } from '../../ui/use-api-data';
import { DevicesPanel } from './devices.panel';
import { ProfilePanel } from './profile.panel';
import { StaffPanel } from './staff.panel';
import { SubscriptionPanel } from './subscription.panel';
import { SummaryPanel } from './summary.panel';

/** One clinic: summary and usage, subscription and limits, profile, staff, devices. */
const TABS: { tab: ClinicTab; label: string }[] = [
  { tab: 'summary', label: 'Summary' },
  { tab: 'subscription', label: 'Subscription & limits' },
  { tab: 'profile', label: 'Profile & letterhead' },
  { tab: 'staff', label: 'Staff' },
  { tab: 'devices', label: 'Devices' },
];

const ACCESS_TEXT: Record<ClinicDetail['access'], string> = {
  full: 'Full access',
  read_only: 'Read-only',
  blocked: 'Blocked: no sign-in, no sync',
};

export function ClinicScreen({ id, tab }: { id: string; tab: ClinicTab }) {
  const { api } = useServices();
  const detail = useApiData(
    (signal) => api.get<ClinicDetail>(`/v1/admin/clinics/${id}`, undefined, signal),
    [id],
  );
  const clinic = detail.data?.id === id ? detail.data : null;

  if (!clinic) {
    return (
      <section>
        <PageHeader title={detail.error ? 'Clinic not available' : 'Loading clinic…'} />
        <ErrorNotice error={detail.error} retry={detail.reload} />
        <p>
          <Link to="/clinics">Back to all clinics</Link>
        </p>
      </section>
    );
  }
  const until =
    clinic.subscriptionStatus === 'trial' && clinic.trialEndsAt
      ? ` · trial until ${formatDate(clinic.trialEndsAt)}`
      : clinic.paidUntil
        ? ` · paid until ${formatDate(clinic.paidUntil)}`
        : '';

  return (
    <section>
      <p className="breadcrumb">
        <Link to="/clinics">Clinics</Link> <span aria-hidden="true">›</span> {clinic.name}
      </p>
      <PageHeader
        title={clinic.name}
        subtitle={
          <>
            <code>{clinic.code}</code> · {clinic.slug} ·{' '}
            <StatusBadge status={clinic.subscriptionStatus} isActive={clinic.isActive} />{' '}
            <span className={`access access-${clinic.access}`}>
              {ACCESS_TEXT[clinic.access]}
              {until}
            </span>
          </>
        }
        actions={
          <Link to={`/audit?clinicId=${clinic.id}`} className="button">
            Audit log of this clinic
          </Link>
        }
      />
      <nav className="tabs" aria-label="Clinic sections">
        {TABS.map((t) => (
          <Link
            key={t.tab}
            to={`/clinics/${clinic.id}${t.tab === 'summary' ? '' : `/${t.tab}`}`}
            aria-current={t.tab === tab ? 'page' : undefined}
            className="tab"
          >
            {t.label}
          </Link>
        ))}
      </nav>
      <div className="tab-panel">
        {tab === 'summary' ? <SummaryPanel clinic={clinic} /> : null}
        {tab === 'subscription' ? <SubscriptionPanel clinic={clinic} onChange={detail.setData} /> : null}
        {tab === 'profile' ? <ProfilePanel clinic={clinic} onChange={detail.setData} /> : null}
        {tab === 'staff' ? <StaffPanel clinicId={clinic.id} /> : null}
        {tab === 'devices' ? <DevicesPanel clinicId={clinic.id} /> : null}
      </div>
    </section>
  );
}
