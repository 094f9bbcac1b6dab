/**
 * The sync centre: what waits for the server, what the server refused and why (in plain words,
 * with the full record), and for each refusal: fix and resubmit, resubmit as it was, or dismiss.
 * The refused changes can be exported as a file for the clinic admin or support.
 */
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldValue, RefusedGroupView, SyncOpView } from '../../../../shared/app-views';
import { useApi, useLive } from '../../api/api-context';
import { downloadText } from '../../ui/download';
import { entityLabel, fieldLabel } from '../../ui/field-label';
import { ErrorMessage } from '../../ui/form-controls';
import { useErrorText } from '../../ui/use-error-text';
import { useFormat } from '../../ui/use-format';
import { relativeTime } from './relative-time';
import { useErrorTextForSync } from './sync-error-text';

type Scalar = string | number | boolean | null;

function isScalar(value: FieldValue | undefined): value is Scalar {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A field's value in words, or null when there is nothing worth showing (empty, an internal id). */
function shown(t: TFunction, entity: string, field: string, value: FieldValue | undefined): string | null {
  if (value === null || value === undefined || value === '' || field === 'id') return null;
  if (typeof value === 'string' && UUID.test(value)) return null;
  if (field === 'sex' && typeof value === 'string') return t(`patient.sex.${value}`, { defaultValue: value });
  if (field === 'status' && typeof value === 'string') {
    const namespace =
      entity === 'visit' ? 'visitStatus' : entity === 'appointment' ? 'appointmentStatus' : 'patientStatus';
    return t(`${namespace}.${value}`, { defaultValue: value });
  }
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** The record of one op as a two-column table. */
function RecordTable({ op }: { readonly op: SyncOpView }) {
  const { t } = useTranslation();
  const rows = Object.entries(op.fields)
    .map(([field, value]) => [field, shown(t, op.entity, field, value)] as const)
    .filter((row): row is readonly [string, string] => row[1] !== null);
  if (rows.length === 0) return null;
  return (
    <table className="record-table">
      <tbody>
        {rows.map(([field, value]) => (
          <tr key={field}>
            <th scope="row">{fieldLabel(t, field)}</th>
            <td>{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Inputs for the scalar fields of one op; `onChange` gets the edited fields. */
function OpEditor({
  op,
  edits,
  onChange,
}: {
  readonly op: SyncOpView;
  readonly edits: Readonly<Record<string, Scalar>>;
  readonly onChange: (field: string, value: Scalar) => void;
}) {
  const { t } = useTranslation();
  const editable = Object.entries(op.fields).filter(
    (entry): entry is [string, Scalar] => entry[0] !== 'id' && isScalar(entry[1]),
  );
  return (
    <div className="form-grid">
      {editable.map(([field, original]) => {
        const current = field in edits ? edits[field] : original;
        const id = `fix-${op.id}-${field}`;
        if (typeof original === 'boolean') {
          return (
            <label key={field} className="check" htmlFor={id}>
              <input
                id={id}
                type="checkbox"
                checked={current === true}
                onChange={(event) => onChange(field, event.target.checked)}
              />
              {fieldLabel(t, field)}
            </label>
          );
        }
        return (
          <div key={field} className="field">
            <label htmlFor={id}>{fieldLabel(t, field)}</label>
            <input
              id={id}
              type={typeof original === 'number' ? 'number' : 'text'}
              value={current === null || current === undefined ? '' : String(current)}
              onChange={(event) => {
                const raw = event.target.value;
                onChange(field, raw === '' ? null : typeof original === 'number' ? Number(raw) : raw);
              }}
            />
          </div>
        );
      })}
    </div>
  );
}

/** One refused group. */
function RefusedCard({ item, readOnly }: { readonly item: RefusedGroupView; readonly readOnly: boolean }) {
  const { t } = useTranslation();
  const format = useFormat();
  const api = useApi();
  const errorText = useErrorText();
  const [editing, setEditing] = useState(false);
  const [edits, setEdits] = useState<Record<number, Record<string, Scalar>>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  const fixes = Object.entries(edits).map(([opIndex, fields]) => ({ opIndex: Number(opIndex), fields }));

  return (
    <article className="panel refused-card" data-testid="refused-group">
      <header className="refused-head">
        <h3>{t(`refusal.${item.code}`, { defaultValue: t('refusal.other') })}</h3>
        <span className="muted">
          {t('syncCentre.refusedAt', { when: relativeTime(t, format.locale, item.receivedAt) })}
        </span>
      </header>
      <p className="muted">
        {t('syncCentre.serverSaid')} <q>{item.message}</q>
      </p>
      {item.ops.map((op, index) => (
        <section key={`${op.op}:${op.entity}:${op.id}`} className="refused-op">
          <h4>
            {t(`opKind.${op.op}`)} · {entityLabel(t, op.entity)} ·{' '}
            <span data-testid="refused-record">{op.label}</span>
          </h4>
          {editing && op.op !== 'delete' ? (
            <OpEditor
              op={op}
              edits={edits[index] ?? {}}
              onChange={(field, value) =>
                setEdits((prev) => ({ ...prev, [index]: { ...prev[index], [field]: value } }))
              }
            />
          ) : (
            <RecordTable op={op} />
          )}
        </section>
      ))}
      <ErrorMessage text={errorText(error)} />
      <div className="actions">
        {editing ? (
          <>
            <button
              type="button"
              className="primary"
              disabled={busy || readOnly}
              onClick={() => run(() => api.call('sync.resubmit', { id: item.id, fixes }))}
            >
              {t('syncCentre.resubmitFixed')}
            </button>
            <button type="button" onClick={() => setEditing(false)}>
              {t('common.cancel')}
            </button>
          </>
        ) : (
          <>
            <button type="button" disabled={readOnly} onClick={() => setEditing(true)}>
              {t('syncCentre.fix')}
            </button>
            <button
              type="button"
              disabled={busy || readOnly}
              onClick={() => run(() => api.call('sync.resubmit', { id: item.id, fixes: [] }))}
            >
              {t('syncCentre.resubmit')}
            </button>
            <button
              type="button"
              className="danger"
              disabled={busy}
              onClick={() => run(() => api.call('sync.dismiss', { id: item.id }))}
            >
              {t('syncCentre.dismiss')}
            </button>
          </>
        )}
      </div>
    </article>
  );
}

/** The sync centre screen. */
export function SyncCentreScreen({ readOnly }: { readonly readOnly: boolean }) {
  const { t } = useTranslation();
  const format = useFormat();
  const api = useApi();
  const syncError = useErrorTextForSync();
  const errorText = useErrorText();
  const [error, setError] = useState<unknown>(null);
  const centre = useLive(
    (client) => client.call('sync.centre', {}),
    (event) => event.type !== 'state',
    [],
  );
  const view = centre.data;
  if (view === null) return <p className="loading">{t('app.loading')}</p>;
  const lastError = syncError(view.status);

  return (
    <div className="sync-centre">
      <div className="page-head">
        <h1>{t('syncCentre.title')}</h1>
        <span className="spacer" />
        <button type="button" onClick={() => void api.call('sync.now', {}).catch(setError)}>
          {t('syncCentre.syncNow')}
        </button>
        <button
          type="button"
          onClick={() =>
            void api
              .call('sync.export', {})
              .then((file) => downloadText(file.fileName, file.content))
              .catch(setError)
          }
        >
          {t('syncCentre.export')}
        </button>
      </div>
      <ErrorMessage text={errorText(error)} />
      <section className="panel">
        <p>
          {view.status.online ? t('status.online') : t('status.offline')} ·{' '}
          {t('status.lastSync', { when: relativeTime(t, format.locale, view.status.lastSyncAt) })}
        </p>
        {lastError === null ? null : <p className="notice">{lastError}</p>}
      </section>

      <h2 className="section-title">{t('syncCentre.refusedTitle', { count: view.refused.length })}</h2>
      {view.refused.length === 0 ? <p className="muted">{t('syncCentre.noneRefused')}</p> : null}
      {view.refused.map((item) => (
        <RefusedCard key={item.id} item={item} readOnly={readOnly} />
      ))}

      <h2 className="section-title">{t('syncCentre.pendingTitle', { count: view.pending.length })}</h2>
      {view.pending.length === 0 ? (
        <p className="muted">{t('syncCentre.nonePending')}</p>
      ) : (
        <table className="panel-table">
          <thead>
            <tr>
              <th scope="col">{t('syncCentre.when')}</th>
              <th scope="col">{t('syncCentre.what')}</th>
            </tr>
          </thead>
          <tbody>
            {view.pending.map((group) => (
              <tr key={group.mutationId} data-testid="pending-group">
                <td className="num">{format.time(group.createdAt)}</td>
                <td>
                  {group.ops.map((op) => (
                    <div key={`${op.op}:${op.entity}:${op.id}`}>
                      {t(`opKind.${op.op}`)} · {entityLabel(t, op.entity)} · {op.label}
                    </div>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
