/** A tiny typed publish/subscribe, one per app instance (never module-level). */

export interface EventHub<E> {
  /** Delivers `event` to every current listener; a throwing listener does not stop the others. */
  emit(event: E): void;
  /** Adds a listener; returns its removal. */
  subscribe(listener: (event: E) => void): () => void;
}

/** Creates an empty hub. */
export function createEventHub<E>(onListenerError: (error: unknown) => void = () => {}): EventHub<E> {
  const listeners = new Set<(event: E) => void>();
  return {
    emit(event) {
      for (const listener of [...listeners]) {
        try {
          listener(event);
        } catch (error) {
          onListenerError(error);
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
