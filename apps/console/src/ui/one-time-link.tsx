import { useState } from 'react';
import { formatDateTime } from './format';

/** A one-time setup link, shown once: selectable text, a copy button, and when it expires. */
export function OneTimeLink({ url, expiresAt, label }: { url: string; expiresAt: string; label: string }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <div className="one-time-link">
      <p className="one-time-warning">
        <strong>Shown only once.</strong> Copy it now and send it to the person over a trusted channel. It
        works once and expires {formatDateTime(expiresAt)}.
      </p>
      <label className="one-time-label" htmlFor="one-time-link-url">
        {label}
      </label>
      <div className="one-time-row">
        <input
          id="one-time-link-url"
          className="one-time-url"
          readOnly
          value={url}
          onFocus={(e) => e.currentTarget.select()}
        />
        <button type="button" className="button" onClick={copy}>
          Copy link
        </button>
      </div>
      <p className="field-hint" role="status">
        {copied === 'yes'
          ? 'Copied to the clipboard.'
          : copied === 'failed'
            ? 'Copy failed; select the link and copy it.'
            : ''}
      </p>
    </div>
  );
}
