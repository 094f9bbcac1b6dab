/*
 * The push request's rules (`pushRequestSchema`) in plain code, for the server's hot path: a drain
 * sends a thousand groups a request, and the schema, built for its messages and its documentation,
 * takes several times longer over them than this does.
 *
 * Invariants:
 * - `checkPushRequest` accepts only what `pushRequestSchema` accepts, and returns what the schema
 *   would return for it (edit reasons trimmed). Anything it is unsure of, it leaves to the schema
 *   (returns null), which then gives the detailed error. The property test in
 *   `push-request.check.test.ts` holds it to this.
 * - It reads a body as `JSON.parse` makes it (plain objects and arrays, no cycles).
 */
import { entityNamePattern, fieldNamePattern, timestampSchema, uuidSchema } from './common.schema';
import { EDIT_REASON_MAX_LENGTH, GROUP_MAX_OPS, PUSH_MAX_GROUPS, type PushRequest } from './push.schema';

const UUID = uuidSchema._zod.pattern;
const TIMESTAMP = timestampSchema._zod.pattern;

/** Deepest JSON value checked here; deeper ones are left to the schema. */
const MAX_DEPTH = 32;

type Plain = Record<string, unknown>;

function isPlain(value: unknown): value is Plain {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Exactly these keys, the optional ones allowed to be absent. */
function hasKeys(value: Plain, required: readonly string[], optional: readonly string[] = []): boolean {
  let count = 0;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) return false;
    if (!required.includes(key) && !optional.includes(key)) return false;
    if (required.includes(key)) count++;
  }
  return count === required.length;
}

function isPositiveInt(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 1;
}

function isJson(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (value === null) return true;
      if (depth >= MAX_DEPTH) return false;
      if (Array.isArray(value)) return value.every((item) => isJson(item, depth + 1));
      if (!isPlain(value)) return false;
      for (const key in value) if (!isJson(value[key], depth + 1)) return false;
      return true;
    }
    default:
      return false;
  }
}

/** A row's fields: identifiers holding JSON values. */
function isRowData(value: unknown): value is Plain {
  if (!isPlain(value)) return false;
  for (const key in value) {
    if (!fieldNamePattern.test(key) || !isJson(value[key], 1)) return false;
  }
  return true;
}

function sameKeys(a: Plain, b: Plain): boolean {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((key, i) => key === kb[i]);
}

/** One row operation; an update's reason comes back trimmed. False when any rule fails. */
function checkOp(op: unknown): boolean {
  if (!isPlain(op)) return false;
  if (typeof op.entity !== 'string' || !entityNamePattern.test(op.entity)) return false;
  if (typeof op.id !== 'string' || !UUID.test(op.id)) return false;
  switch (op.op) {
    case 'create':
      return hasKeys(op, ['op', 'entity', 'id', 'data']) && isRowData(op.data);
    case 'delete':
      return hasKeys(op, ['op', 'entity', 'id']);
    case 'update': {
      if (!hasKeys(op, ['op', 'entity', 'id', 'changed', 'before'], ['reason'])) return false;
      if (!isRowData(op.changed) || !isRowData(op.before)) return false;
      if (Object.keys(op.changed).length === 0 || !sameKeys(op.changed, op.before)) return false;
      if ('reason' in op) {
        if (typeof op.reason !== 'string') return false;
        const reason = op.reason.trim();
        if (reason.length < 1 || reason.length > EDIT_REASON_MAX_LENGTH) return false;
        op.reason = reason;
      }
      return true;
    }
    default:
      return false;
  }
}

/**
 * The body as a push request when it follows every rule of `pushRequestSchema` (see the header),
 * or null when the schema must decide.
 */
export function checkPushRequest(body: unknown): PushRequest | null {
  if (!isPlain(body) || !hasKeys(body, ['protocolVersion', 'schemaVersion', 'groups'])) return null;
  if (!isPositiveInt(body.protocolVersion) || !isPositiveInt(body.schemaVersion)) return null;
  const groups = body.groups;
  if (!Array.isArray(groups) || groups.length < 1 || groups.length > PUSH_MAX_GROUPS) return null;
  const mutationIds = new Set<string>();
  let previousSeq: number | null = null;
  for (const group of groups) {
    if (!isPlain(group) || !hasKeys(group, ['mutationId', 'seq', 'createdAt', 'ops'])) return null;
    const { mutationId, seq, createdAt, ops } = group;
    if (typeof mutationId !== 'string' || !UUID.test(mutationId) || mutationIds.has(mutationId)) return null;
    mutationIds.add(mutationId);
    if (!isPositiveInt(seq) || (previousSeq !== null && seq !== previousSeq + 1)) return null;
    previousSeq = seq;
    if (typeof createdAt !== 'string' || !TIMESTAMP.test(createdAt)) return null;
    if (!Array.isArray(ops) || ops.length < 1 || ops.length > GROUP_MAX_OPS) return null;
    for (const op of ops) if (!checkOp(op)) return null;
  }
  return body as PushRequest;
}
