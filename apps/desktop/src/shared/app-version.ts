/** The desktop app's version, reported to the server at device registration. */
export const APP_VERSION = '0.1.0';
