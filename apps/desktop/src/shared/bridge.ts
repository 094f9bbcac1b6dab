/** The two Electron IPC channels the preload uses; every contract channel travels inside `invoke`. */
export const BRIDGE_INVOKE = 'clinicdesk:invoke';
export const BRIDGE_EVENT = 'clinicdesk:event';
