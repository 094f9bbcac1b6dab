export {
  type Change,
  changeListSchema,
  changeSchema,
  type RowOp,
  rowOpSchema,
} from './change.schema';
export {
  entityNameSchema,
  fieldNameSchema,
  jsonObjectSchema,
  type RowData,
  rowDataSchema,
  seqSchema,
  timestampSchema,
  uuidSchema,
  versionNumberSchema,
} from './common.schema';
export {
  ERROR_CODES,
  type ErrorBody,
  ErrorCode,
  errorBody,
  errorBodySchema,
  errorCodeSchema,
  httpStatusFor,
} from './error-code.schema';
export {
  type CounterName,
  counterNameSchema,
  LEASE_MAX_SIZE,
  type LeaseRequest,
  type LeaseResponse,
  leaseRequestSchema,
  leaseResponseSchema,
} from './lease.schema';
export {
  type ClientVersionVerdict,
  clientVersionVerdict,
  isSupportedClientVersion,
  PROTOCOL_VERSION,
  SCHEMA_VERSION,
} from './protocol-version';
export {
  type ClinicSnapshot,
  type ClinicStatus,
  clinicSnapshotSchema,
  clinicStatusSchema,
  type GroupDecision,
  groupDecisionSchema,
  PULL_DEFAULT_LIMIT,
  PULL_MAX_LIMIT,
  type PullRequest,
  type PullResponse,
  pullRequestSchema,
  pullResponseSchema,
} from './pull.schema';
export {
  appliedResultSchema,
  duplicateResultSchema,
  GROUP_MAX_OPS,
  type GroupResult,
  groupResultSchema,
  type MutationGroup,
  mutationGroupSchema,
  PUSH_MAX_GROUPS,
  type PushRequest,
  type PushResponse,
  pushRequestSchema,
  pushResponseSchema,
  type RowOperation,
  refusedResultSchema,
  rowOperationSchema,
} from './push.schema';
