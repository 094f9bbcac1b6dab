/**
 * Keyboard-first desk: Alt+Q queue, Alt+P or "/" patient search, Alt+N new patient, Alt+A
 * appointments, Alt+S sync centre, Ctrl+L lock. "/" is ignored while typing in a field.
 */
import { useEffect } from 'react';
import type { DeskRoute } from './desk-route';

function typing(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable ||
      target.tagName === 'INPUT' ||
      target.tagName === 'TEXTAREA' ||
      target.tagName === 'SELECT')
  );
}

/** The route a key press asks for, or null. */
export function shortcutRoute(
  event: Pick<KeyboardEvent, 'key' | 'altKey' | 'ctrlKey' | 'metaKey' | 'target'>,
): DeskRoute | null {
  if (event.altKey && !event.ctrlKey && !event.metaKey) {
    switch (event.key.toLowerCase()) {
      case 'q':
        return { screen: 'queue' };
      case 'p':
        return { screen: 'patients', focusSearch: Date.now() };
      case 'n':
        return { screen: 'register' };
      case 'a':
        return { screen: 'appointments' };
      case 's':
        return { screen: 'sync' };
      default:
        return null;
    }
  }
  if (event.key === '/' && !event.altKey && !event.ctrlKey && !event.metaKey && !typing(event.target)) {
    return { screen: 'patients', focusSearch: Date.now() };
  }
  return null;
}

/** Installs the shortcuts while mounted. */
export function useDeskShortcuts(navigate: (route: DeskRoute) => void, lock: () => void): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey && !event.altKey && event.key.toLowerCase() === 'l') {
        event.preventDefault();
        lock();
        return;
      }
      const route = shortcutRoute(event);
      if (route !== null) {
        event.preventDefault();
        navigate(route);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [navigate, lock]);
}
