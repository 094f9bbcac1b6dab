import { useState } from 'react';
import type { Device } from '../../api/api.types';
import { useServices } from '../../app/services';
import { formatAgo, formatDate, formatDateTime } from '../../ui/format';
import { ConfirmDialog } from '../../ui/modal-dialog';
import { ErrorNotice, errorMessage, Notice } from '../../ui/notice';
import { useApiData } from '../../ui/use-api-data';

/** Sync health per device (status, app version, last sync) and revocation of a lost or stolen one. */
const STATUS_LABELS: Record<Device['status'], string> = {
  pending: 'Waiting approval',
  approved: 'Approved',
  revoked: 'Revoked',
};

export function DevicesPanel({ clinicId }: { clinicId: string }) {
  const { api } = useServices();
  const devices = useApiData(
    (signal) => api.get<{ devices: Device[] }>(`/v1/admin/clinics/${clinicId}/devices`, undefined, signal),
    [clinicId],
  );
  const [confirming, setConfirming] = useState<Device | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);

  const revoke = async () => {
    if (!confirming || !devices.data) return;
    setBusy(true);
    try {
      const updated = await api.post<Device>(`/v1/admin/clinics/${clinicId}/devices/${confirming.id}/revoke`);
      devices.setData({ devices: devices.data.devices.map((d) => (d.id === updated.id ? updated : d)) });
      setOutcome({ tone: 'success', text: `${updated.name} is revoked; it can no longer sign in or sync.` });
    } catch (err) {
      setOutcome({ tone: 'error', text: errorMessage(err) });
    } finally {
      setConfirming(null);
      setBusy(false);
    }
  };

  return (
    <article className="card">
      <h2>Devices</h2>
      <ErrorNotice error={devices.error} retry={devices.reload} />
      {outcome ? <Notice tone={outcome.tone}>{outcome.text}</Notice> : null}
      {devices.data ? (
        <div className="table-wrap">
          <table className="table">
            <caption className="sr-only">Devices of the clinic</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Status</th>
                <th scope="col">App version</th>
                <th scope="col">Platform</th>
                <th scope="col">Last sync</th>
                <th scope="col">Last seen</th>
                <th scope="col">Registered</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {devices.data.devices.map((d) => (
                <tr key={d.id}>
                  <th scope="row">{d.name}</th>
                  <td>
                    <span className={`badge badge-device-${d.status}`}>{STATUS_LABELS[d.status]}</span>
                  </td>
                  <td>{d.appVersion || '—'}</td>
                  <td>{d.platform || '—'}</td>
                  <td title={formatDateTime(d.lastSyncAt)}>{formatAgo(d.lastSyncAt)}</td>
                  <td title={formatDateTime(d.lastSeenAt)}>{formatAgo(d.lastSeenAt)}</td>
                  <td>{formatDate(d.createdAt)}</td>
                  <td>
                    {d.status === 'revoked' ? null : (
                      <button
                        type="button"
                        className="button button-small button-danger"
                        onClick={() => setConfirming(d)}
                      >
                        Revoke<span className="sr-only"> {d.name}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
              {devices.data.devices.length === 0 ? (
                <tr>
                  <td colSpan={8} className="empty">
                    No device has been registered yet.
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
      ) : devices.error ? null : (
        <p role="status">Loading devices…</p>
      )}
      {confirming ? (
        <ConfirmDialog
          title={`Revoke ${confirming.name}?`}
          confirmLabel="Revoke device"
          busy={busy}
          onConfirm={() => void revoke()}
          onCancel={() => setConfirming(null)}
        >
          <p>
            The device is signed out now and can no longer sign in or sync. Changes it has not synced stay on
            it. This cannot be undone; the clinic can register the PC again.
          </p>
        </ConfirmDialog>
      ) : null}
    </article>
  );
}
