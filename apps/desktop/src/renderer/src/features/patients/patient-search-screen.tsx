/**
 * Patient search as you type: every keystroke asks the local store (name in any word order and by
 * prefix, phone digits, patient code) and the newest answer wins. Results are a virtualised list
 * driven from the search box: arrow keys move, Enter opens the profile.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PatientSummaryView } from '../../../../shared/reception-views';
import { useApi } from '../../api/api-context';
import { ErrorMessage } from '../../ui/form-controls';
import { useErrorText } from '../../ui/use-error-text';
import { useWindowHeight } from '../../ui/use-window-height';
import { optionId, VirtualList } from '../../ui/virtual-list';
import type { DeskRoute } from '../desk/desk-route';
import { ageSex, displayPhone } from './patient-text';

const ROW_HEIGHT = 56;
const LIST_ID = 'patient-results';

/** The patient search screen. */
export function PatientSearchScreen({
  focusSearch,
  navigate,
  readOnly,
}: {
  readonly focusSearch: number | undefined;
  readonly navigate: (route: DeskRoute) => void;
  readonly readOnly: boolean;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const errorText = useErrorText();
  const input = useRef<HTMLInputElement>(null);
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<{ query: string; items: readonly PatientSummaryView[] }>({
    query: '',
    items: [],
  });
  const [active, setActive] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const latest = useRef(0);
  const windowHeight = useWindowHeight();

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new stamp means "focus the box again".
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, [focusSearch]);

  useEffect(() => {
    const mine = ++latest.current;
    if (query.trim() === '') {
      setResults({ query, items: [] });
      return;
    }
    api.call('patients.search', { query, limit: 200 }).then(
      (items) => {
        if (mine !== latest.current) return;
        setResults({ query, items });
        setActive(0);
        setError(null);
      },
      (failure: unknown) => {
        if (mine === latest.current) setError(failure);
      },
    );
  }, [api, query]);

  const open = (patient: PatientSummaryView) => navigate({ screen: 'patient', patientId: patient.id });
  const { items } = results;

  return (
    <div className="patients">
      <div className="page-head">
        <h1>{t('patients.title')}</h1>
        <span className="spacer" />
        <button
          type="button"
          className="primary"
          aria-keyshortcuts="Alt+N"
          disabled={readOnly}
          onClick={() => navigate({ screen: 'register' })}
        >
          {t('patients.new')} <kbd>Alt+N</kbd>
        </button>
      </div>
      <div className="search-box">
        <label htmlFor="patient-search" className="visually-hidden">
          {t('patients.searchLabel')}
        </label>
        <input
          ref={input}
          id="patient-search"
          type="search"
          role="combobox"
          aria-expanded={items.length > 0}
          aria-controls={LIST_ID}
          aria-autocomplete="list"
          aria-activedescendant={items.length > 0 ? optionId(LIST_ID, active) : undefined}
          placeholder={t('patients.searchPlaceholder')}
          value={query}
          autoComplete="off"
          spellCheck={false}
          onChange={(event) => setQuery(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'ArrowDown') {
              event.preventDefault();
              setActive((index) => Math.min(items.length - 1, index + 1));
            } else if (event.key === 'ArrowUp') {
              event.preventDefault();
              setActive((index) => Math.max(0, index - 1));
            } else if (event.key === 'Enter') {
              const chosen = items[active];
              if (chosen !== undefined) open(chosen);
            }
          }}
        />
        <span className="muted" aria-live="polite" data-testid="result-count">
          {query.trim() === '' ? t('patients.typeToSearch') : t('patients.found', { count: items.length })}
        </span>
      </div>
      <ErrorMessage text={errorText(error)} />
      <div data-results-for={results.query} data-testid="patient-results" hidden={items.length === 0}>
        <VirtualList
          id={LIST_ID}
          label={t('patients.results')}
          items={items}
          rowHeight={ROW_HEIGHT}
          height={Math.max(ROW_HEIGHT, Math.min(items.length * ROW_HEIGHT, windowHeight - 260))}
          activeIndex={active}
          itemKey={(patient) => patient.id}
          onPick={(patient) => open(patient)}
          renderRow={(patient) => (
            <div className="patient-row">
              <span className="patient-row-name">{patient.fullName}</span>
              <span className="patient-row-code">{patient.patientCode}</span>
              <span>{ageSex(t, patient)}</span>
              <span className="num">{displayPhone(patient.phone)}</span>
              <span className="muted">{patient.city}</span>
            </div>
          )}
        />
      </div>
    </div>
  );
}
