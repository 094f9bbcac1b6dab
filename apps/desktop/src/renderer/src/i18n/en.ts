/** English: the reference dictionary. Every visible string of the renderer is a key here. */
export const en = {
  app: {
    name: 'ClinicDesk',
    loading: 'Loading…',
    language: 'Language',
  },
  errors: {
    UNKNOWN_CHANNEL: 'This action is not available.',
    FORBIDDEN_SENDER:
      'This window is not allowed to use ClinicDesk. Open it from the address the app printed.',
    INVALID_ARGUMENTS: 'Some of the information is not valid. Check the highlighted fields.',
    NOT_SIGNED_IN: 'Please sign in first.',
    LOCKED: 'The screen is locked. Enter your password to continue.',
    PERMISSION_DENIED: 'Your role does not allow this.',
    NOT_SET_UP: 'This computer is not connected to a clinic yet.',
    READ_ONLY: 'ClinicDesk is read-only on this computer; nothing was saved.',
    NOT_FOUND: 'That record was not found.',
    VALIDATION_FAILED: 'Some of the information is not valid. Check the highlighted fields.',
    DUPLICATE_SUSPECTED: 'This patient may already be registered.',
    REASON_REQUIRED: 'Changing name, date of birth or sex needs a reason.',
    SLOT_TAKEN: 'The doctor already has an appointment at that time.',
    INVALID_TRANSITION: 'The visit cannot move to that status from where it is now.',
    CAPACITY_REACHED: 'The clinic has reached its patient limit. Ask your clinic admin to upgrade the plan.',
    WRONG_CREDENTIALS: 'Username or password is wrong.',
    OFFLINE_BACKOFF: 'Too many wrong attempts. Try again in {{seconds}} seconds.',
    OFFLINE_LOGIN_UNAVAILABLE:
      'The server cannot be reached and this user has not signed in online on this computer in the last 72 hours.',
    DEVICE_PENDING: 'This computer is waiting for a clinic admin to approve it.',
    DEVICE_REVOKED: 'This computer has been removed from the clinic by a clinic admin.',
    DEVICE_UNKNOWN: 'The clinic does not recognise this computer. Register it again.',
    CLINIC_SUSPENDED: 'This clinic is suspended. Contact ClinicDesk support.',
    SERVER_UNREACHABLE: 'The server cannot be reached. Check the address and the internet connection.',
    SERVER_ERROR: 'The server refused: {{message}}',
    LINK_NOT_ALLOWED: 'This link cannot be opened from ClinicDesk.',
    INTERNAL: 'Something went wrong. Please try again.',
  },
} as const;
