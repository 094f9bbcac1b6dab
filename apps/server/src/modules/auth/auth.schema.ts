import {
  changePasswordRequestSchema,
  type LoginRequest,
  type LoginResponse as LoginResponseType,
  loginRequestSchema,
  loginResponseSchema,
  offlineGrantSchema,
  refreshRequestSchema,
  refreshResponseSchema,
  signingKeyResponseSchema,
} from '@clinicdesk/sync-protocol';

/** The auth routes' bodies are the wire contract shared with devices (sync-protocol). */
export const LoginBody = loginRequestSchema;
export type LoginBody = LoginRequest;
export const LoginResponse = loginResponseSchema;
export type LoginResponse = LoginResponseType;
export const OfflineGrant = offlineGrantSchema;
export const RefreshBody = refreshRequestSchema;
export const RefreshResponse = refreshResponseSchema;
export const ChangePasswordBody = changePasswordRequestSchema;
export const SigningKeyResponse = signingKeyResponseSchema;
