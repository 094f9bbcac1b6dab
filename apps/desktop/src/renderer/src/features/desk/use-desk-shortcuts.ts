/**
 * Keyboard-first desk: Alt+Q queue, Alt+P or "/" patient search, Alt+N new patient, Alt+I check in
 * (the open patient, or search for one), Alt+A appointments, Alt+S sync centre, Ctrl+L lock.
 * "/" is ignored while typing in a field.
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

/** The route a key press asks for, or null; `current` decides what check-in means. */
export function shortcutRoute(
  event: Pick<KeyboardEvent, 'key' | 'code' | 'altKey' | 'ctrlKey' | 'metaKey' | 'target'>,
  current: DeskRoute,
): DeskRoute | null {
  if (event.altKey && !event.ctrlKey && !event.metaKey) {
    // `code` keeps the shortcuts working with Hindi or Marathi keyboard layouts.
    const key = /^Key[A-Z]$/.test(event.code) ? event.code.slice(3).toLowerCase() : event.key.toLowerCase();
    switch (key) {
      case 'q':
        return { screen: 'queue' };
      case 'p':
        return { screen: 'patients', focusSearch: Date.now() };
      case 'n':
        return { screen: 'register' };
      case 'i':
        return current.screen === 'patient'
          ? { screen: 'patient', patientId: current.patientId, checkIn: Date.now() }
          : { screen: 'patients', focusSearch: Date.now() };
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
export function useDeskShortcuts(
  current: DeskRoute,
  navigate: (route: DeskRoute) => void,
  lock: () => void,
): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey && !event.altKey && event.key.toLowerCase() === 'l') {
        event.preventDefault();
        lock();
        return;
      }
      const route = shortcutRoute(event, current);
      if (route !== null) {
        event.preventDefault();
        navigate(route);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [current, navigate, lock]);
}
