import type { SubscriptionStatus } from '../api/api.types';

const LABELS: Record<SubscriptionStatus, string> = {
  trial: 'Trial',
  active: 'Active',
  expired: 'Expired',
  suspended: 'Suspended',
};

/** A clinic's subscription status as a coloured badge with its name (colour is never the only cue). */
export function StatusBadge({ status, isActive = true }: { status: SubscriptionStatus; isActive?: boolean }) {
  return (
    <span className="badge-group">
      <span className={`badge badge-${status}`}>{LABELS[status]}</span>
      {isActive ? null : <span className="badge badge-closed">Deactivated</span>}
    </span>
  );
}

export const STATUS_OPTIONS: readonly { value: SubscriptionStatus; label: string }[] = [
  { value: 'trial', label: 'Trial' },
  { value: 'active', label: 'Active' },
  { value: 'expired', label: 'Expired' },
  { value: 'suspended', label: 'Suspended' },
];
