/** Which screen each desk route shows. */
import type { ReactNode } from 'react';
import type { AppState } from '../../../../shared/app-views';
import { AppointmentsScreen } from '../appointments/appointments-screen';
import { PatientProfileScreen } from '../patients/patient-profile-screen';
import { PatientSearchScreen } from '../patients/patient-search-screen';
import { RegisterScreen } from '../patients/register-screen';
import { QueueScreen } from '../queue/queue-screen';
import { SettingsScreen } from '../settings/settings-screen';
import { SyncCentreScreen } from '../sync/sync-centre-screen';
import type { DeskRoute } from './desk-route';

/** The render function the desk shell calls for the current route. */
export function renderDeskScreen(state: AppState) {
  return (route: DeskRoute, navigate: (route: DeskRoute) => void, readOnly: boolean): ReactNode => {
    switch (route.screen) {
      case 'queue':
        return <QueueScreen navigate={navigate} readOnly={readOnly} />;
      case 'patients':
        return (
          <PatientSearchScreen focusSearch={route.focusSearch} navigate={navigate} readOnly={readOnly} />
        );
      case 'register':
        return <RegisterScreen navigate={navigate} readOnly={readOnly} />;
      case 'patient':
        return (
          <PatientProfileScreen
            key={route.patientId}
            patientId={route.patientId}
            checkIn={route.checkIn}
            navigate={navigate}
            readOnly={readOnly}
          />
        );
      case 'appointments':
        return <AppointmentsScreen patientId={route.patientId} navigate={navigate} readOnly={readOnly} />;
      case 'sync':
        return <SyncCentreScreen readOnly={readOnly} />;
      case 'settings':
        return <SettingsScreen state={state} />;
      default:
        return route satisfies never;
    }
  };
}
