import { errorBodySchema } from '@clinicdesk/sync-protocol';

/** The error responses a route documents in OpenAPI, all with the uniform error body. */
export function errorResponses<const S extends readonly number[]>(...statuses: S) {
  return Object.fromEntries(statuses.map((s) => [s, errorBodySchema])) as {
    [K in S[number]]: typeof errorBodySchema;
  };
}
