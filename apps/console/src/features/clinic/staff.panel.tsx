import { useState } from 'react';
import type { SetupLink, StaffMember } from '../../api/api.types';
import { useServices } from '../../app/services';
import { formatDate } from '../../ui/format';
import { ConfirmDialog, ModalDialog } from '../../ui/modal-dialog';
import { ErrorNotice, errorMessage, Notice } from '../../ui/notice';
import { OneTimeLink } from '../../ui/one-time-link';
import { useApiData } from '../../ui/use-api-data';

/**
 * The clinic's staff accounts, and the support action a super admin may take on them: reset a
 * clinic admin's access (their password and sessions end; a new one-time link is shown once).
 * Other staff are the clinic admin's to manage.
 */
const ROLE_LABELS: Record<StaffMember['role'], string> = {
  admin: 'Clinic admin',
  doctor: 'Doctor',
  receptionist: 'Receptionist',
  lab_tech: 'Lab technician',
};

export function StaffPanel({ clinicId }: { clinicId: string }) {
  const { api } = useServices();
  const staff = useApiData(
    (signal) => api.get<{ staff: StaffMember[] }>(`/v1/admin/clinics/${clinicId}/users`, undefined, signal),
    [clinicId],
  );
  const [confirming, setConfirming] = useState<StaffMember | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [link, setLink] = useState<(SetupLink & { username: string }) | null>(null);

  const reset = async () => {
    if (!confirming) return;
    setBusy(true);
    setFailure(null);
    try {
      const issued = await api.post<SetupLink & { username: string }>(
        `/v1/admin/clinics/${clinicId}/users/${confirming.id}/reset-access`,
      );
      setConfirming(null);
      setLink(issued);
      staff.reload();
    } catch (err) {
      setConfirming(null);
      setFailure(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <article className="card">
      <h2>Staff</h2>
      <ErrorNotice error={staff.error} retry={staff.reload} />
      {failure ? <Notice tone="error">{failure}</Notice> : null}
      {staff.data ? (
        <div className="table-wrap">
          <table className="table">
            <caption className="sr-only">Staff accounts</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Username</th>
                <th scope="col">Role</th>
                <th scope="col">Account</th>
                <th scope="col">Password</th>
                <th scope="col">Added</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {staff.data.staff.map((m) => (
                <tr key={m.id}>
                  <th scope="row">{m.displayName}</th>
                  <td>
                    <code>{m.username}</code>
                  </td>
                  <td>{ROLE_LABELS[m.role]}</td>
                  <td>{m.isActive ? 'Active' : 'Deactivated'}</td>
                  <td>{m.passwordSet ? 'Set' : 'Waiting for setup link'}</td>
                  <td>{formatDate(m.createdAt)}</td>
                  <td>
                    {m.role === 'admin' ? (
                      <button type="button" className="button button-small" onClick={() => setConfirming(m)}>
                        Reset access<span className="sr-only"> of {m.displayName}</span>
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
              {staff.data.staff.length === 0 ? (
                <tr>
                  <td colSpan={7} className="empty">
                    No staff accounts.
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
      ) : staff.error ? null : (
        <p role="status">Loading staff…</p>
      )}
      {confirming ? (
        <ConfirmDialog
          title={`Reset access of ${confirming.displayName}?`}
          confirmLabel="Reset access"
          busy={busy}
          onConfirm={() => void reset()}
          onCancel={() => setConfirming(null)}
        >
          <p>
            Their current password stops working and every session of theirs ends now. You get a one-time link
            for them to choose a new password.
          </p>
        </ConfirmDialog>
      ) : null}
      {link ? (
        <ModalDialog title={`New setup link for ${link.username}`} onClose={() => setLink(null)}>
          <div className="modal-body">
            <OneTimeLink url={link.url} expiresAt={link.expiresAt} label="One-time setup link" />
          </div>
          <div className="modal-actions">
            <button type="button" className="button button-primary" onClick={() => setLink(null)}>
              I have copied it
            </button>
          </div>
        </ModalDialog>
      ) : null}
    </article>
  );
}
