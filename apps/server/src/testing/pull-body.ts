import {
  type Change,
  changesOfRuns,
  PULL_RUNS_SINCE_VERSION,
  type PullResponse,
  pullResponseSchema,
  pullResponseV1Schema,
} from '@clinicdesk/sync-protocol';

/** A pull answer's body as tests read it: checked against its protocol's schema, changes as objects. */
export type PulledBody = Omit<PullResponse, 'runs'> & { changes: Change[] };

/**
 * Checks a 200 pull body against the schema of the protocol version it was asked with and gives
 * its changes as change objects (read back from the runs of protocol 2 and later), so a test
 * reads both formats the same way.
 */
export function readPullBody(json: unknown, protocolVersion: number): PulledBody {
  if (protocolVersion >= PULL_RUNS_SINCE_VERSION) {
    const { runs, ...rest } = pullResponseSchema.parse(json);
    return { ...rest, changes: changesOfRuns(runs) };
  }
  return pullResponseV1Schema.parse(json);
}
