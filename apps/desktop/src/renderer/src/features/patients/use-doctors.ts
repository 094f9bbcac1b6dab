/** The clinic's doctors, refreshed when staff records arrive through sync. */
import { useLive } from '../../api/api-context';

/** Live list of doctors. */
export function useDoctors() {
  return useLive(
    (api) => api.call('reception.doctors', {}),
    (event) =>
      event.type === 'data' && (event.entities.includes('staff') || event.entities.includes('doctorProfile')),
    [],
  );
}
