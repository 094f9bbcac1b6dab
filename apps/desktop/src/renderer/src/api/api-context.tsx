/** React access to the api client and to data that refreshes when the main process says it changed. */
import { createContext, useCallback, useContext, useEffect, useRef, useState } from 'react';
import type { AppEvent } from '../../../shared/app-views';
import type { ApiClient } from './api-client';

const ApiContext = createContext<ApiClient | null>(null);

/** Provides the api client to the tree. */
export const ApiProvider = ApiContext.Provider;

/** The api client. */
export function useApi(): ApiClient {
  const api = useContext(ApiContext);
  if (api === null) throw new Error('useApi outside ApiProvider');
  return api;
}

/** The result of a `useLive` query. */
export interface Live<T> {
  readonly data: T | null;
  readonly error: unknown;
  readonly loading: boolean;
  reload(): void;
}

/**
 * Loads data with `load` and loads it again whenever an app event matches `refreshOn` (or the
 * dependencies change). Answers that arrive out of order are dropped.
 */
export function useLive<T>(
  load: (api: ApiClient) => Promise<T>,
  refreshOn: (event: AppEvent) => boolean,
  deps: readonly unknown[],
): Live<T> {
  const api = useApi();
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const generation = useRef(0);
  // The latest callbacks, so a re-render with new closures does not resubscribe.
  const loadRef = useRef(load);
  loadRef.current = load;
  const refreshRef = useRef(refreshOn);
  refreshRef.current = refreshOn;
  const reload = useCallback(() => {
    const mine = ++generation.current;
    setLoading(true);
    loadRef.current(api).then(
      (value) => {
        if (mine !== generation.current) return;
        setData(value);
        setError(null);
        setLoading(false);
      },
      (reason: unknown) => {
        if (mine !== generation.current) return;
        setError(reason);
        setLoading(false);
      },
    );
  }, [api]);
  // The caller's inputs, as one comparable value: a change reloads.
  const key = JSON.stringify(deps);
  useEffect(() => {
    void key; // read so the effect visibly depends on it
    reload();
  }, [reload, key]);
  useEffect(() => api.onEvent((event) => refreshRef.current(event) && reload()), [api, reload]);
  return { data, error, loading, reload };
}
