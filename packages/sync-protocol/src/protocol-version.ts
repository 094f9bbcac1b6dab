/*
 * Protocol and schema versions carried by every push, pull and lease request.
 *
 * Invariants:
 * - Both versions are positive integers that only ever increase; a release that changes the wire
 *   contract bumps PROTOCOL_VERSION, one that changes entity shapes bumps SCHEMA_VERSION.
 * - The server accepts its current version and the one before it, so desktops can update after the
 *   server does. An older client is answered with UPGRADE_REQUIRED (HTTP 426): it turns read-only,
 *   keeps its outbox and asks for an update.
 * - A client newer than the server is not supported either: servers are deployed before desktops.
 */

/** Version of the wire contract in this package (2: pull pages carry change runs, see pull.schema). */
export const PROTOCOL_VERSION = 2;

/** Version of the entity shapes the wire messages carry. */
export const SCHEMA_VERSION = 1;

/** How a client's version relates to the server's. */
export type ClientVersionVerdict = 'current' | 'previous' | 'too_old' | 'too_new';

/** Classifies a client version against the server's version (protocol or schema alike). */
export function clientVersionVerdict(server: number, client: number): ClientVersionVerdict {
  if (client === server) return 'current';
  if (client === server - 1) return 'previous';
  return client < server ? 'too_old' : 'too_new';
}

/** True when the server accepts this client version: its own, or the one before it. */
export function isSupportedClientVersion(server: number, client: number): boolean {
  const verdict = clientVersionVerdict(server, client);
  return verdict === 'current' || verdict === 'previous';
}
