import type { ReactNode } from 'react';
import { ApiError } from '../api/api-client';

/** A message box: `alert` for errors (announced at once), `status` for the rest. */
export function Notice({
  tone,
  children,
}: {
  tone: 'error' | 'success' | 'info' | 'warning';
  children: ReactNode;
}) {
  return (
    <div className={`notice notice-${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

/** The message of an error as the console shows it (the server's own message when there is one). */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof TypeError)
    return 'Cannot reach the ClinicDesk server; check the connection and try again.';
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}

export function ErrorNotice({ error, retry }: { error: unknown; retry?: () => void }) {
  if (!error) return null;
  return (
    <Notice tone="error">
      {errorMessage(error)}
      {retry ? (
        <button type="button" className="button-link" onClick={retry}>
          Try again
        </button>
      ) : null}
    </Notice>
  );
}
