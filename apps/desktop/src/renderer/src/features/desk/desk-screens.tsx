/** Which screen each desk route shows. */
import type { ReactNode } from 'react';
import type { AppState } from '../../../../shared/app-views';
import { SettingsScreen } from '../settings/settings-screen';
import { SyncCentreScreen } from '../sync/sync-centre-screen';
import type { DeskRoute } from './desk-route';

/** The render function the desk shell calls for the current route. */
export function renderDeskScreen(state: AppState) {
  return (route: DeskRoute, _navigate: (route: DeskRoute) => void, readOnly: boolean): ReactNode => {
    switch (route.screen) {
      case 'settings':
        return <SettingsScreen state={state} />;
      case 'sync':
        return <SyncCentreScreen readOnly={readOnly} />;
      default:
        return null;
    }
  };
}
