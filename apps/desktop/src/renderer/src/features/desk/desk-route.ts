/** Where the desk is: one screen at a time, kept in React state (the app has no URLs to share). */
export type DeskRoute =
  | { readonly screen: 'queue' }
  | { readonly screen: 'patients'; readonly focusSearch?: number }
  | { readonly screen: 'register' }
  | { readonly screen: 'patient'; readonly patientId: string; readonly checkIn?: number }
  | { readonly screen: 'appointments'; readonly patientId?: string }
  | { readonly screen: 'sync' }
  | { readonly screen: 'settings' };

/** The screens that have a tab in the navigation. */
export type DeskTab = 'queue' | 'patients' | 'appointments' | 'sync';
