import { formatNumber } from './format';

/**
 * Usage against a limit as a labelled native `<meter>`: amber from 90 %, red at the limit.
 * Unlimited shows the count alone.
 */
export function UsageBar({
  label,
  used,
  limit,
  compact = false,
}: {
  label: string;
  used: number;
  limit: number | null;
  compact?: boolean;
}) {
  if (limit === null) {
    return (
      <div className={`usage ${compact ? 'usage-compact' : ''}`}>
        <span className="usage-label">{label}</span>
        <span className="usage-value">
          {formatNumber(used)} <span className="muted">(no limit)</span>
        </span>
      </div>
    );
  }
  const percent = limit === 0 ? (used > 0 ? 100 : 0) : Math.floor((used * 100) / limit);
  const level = used >= limit && limit > 0 ? 'full' : percent >= 90 ? 'near' : 'ok';
  const text = `${formatNumber(used)} of ${formatNumber(limit)}`;
  const max = Math.max(limit, 1);
  return (
    <div className={`usage ${compact ? 'usage-compact' : ''}`}>
      <span className="usage-label">{label}</span>
      <span className="usage-value">{text}</span>
      <meter
        className={`usage-bar usage-${level}`}
        aria-label={`${label}: ${text}`}
        min={0}
        max={max}
        value={Math.min(used, max)}
      />
    </div>
  );
}
