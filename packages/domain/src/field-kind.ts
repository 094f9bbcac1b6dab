/*
 * What kind of value a record's field holds, read off its zod schema: how the local store keeps it
 * in SQLite and how the server writes it to PostgreSQL. A field whose schema allows objects, arrays
 * or a mix of kinds (a dose pattern: slots or `'sos'`) is `json` and is stored as JSON text.
 */

/** How a field's value is stored: as text, a whole number, a real number, a boolean, or JSON text. */
export type FieldKind = 'text' | 'integer' | 'real' | 'boolean' | 'json';

/** What a zod schema looks like from outside: `_zod.def` names its type and inner schemas. */
interface ZodLike {
  readonly _zod: {
    readonly def: {
      readonly type: string;
      readonly innerType?: ZodLike;
      readonly in?: ZodLike;
      readonly options?: readonly ZodLike[];
    };
  };
  readonly isInt?: boolean;
}

function isZodLike(value: unknown): value is ZodLike {
  return typeof value === 'object' && value !== null && '_zod' in value;
}

/** The kind of value one zod field holds (wrappers such as default, nullable, optional are looked through). */
export function fieldKindOf(schema: unknown): FieldKind {
  if (!isZodLike(schema)) return 'json';
  const def = schema._zod.def;
  switch (def.type) {
    case 'default':
    case 'prefault':
    case 'nullable':
    case 'optional':
    case 'readonly':
      return fieldKindOf(def.innerType);
    case 'pipe':
      return fieldKindOf(def.in);
    case 'string':
    case 'enum':
    case 'literal':
    case 'template_literal':
      return 'text';
    case 'number':
      return schema.isInt === true ? 'integer' : 'real';
    case 'int':
    case 'bigint':
      return 'integer';
    case 'boolean':
      return 'boolean';
    case 'union': {
      const kinds = new Set((def.options ?? []).map(fieldKindOf));
      const [only] = kinds;
      return kinds.size === 1 && only !== undefined && only !== 'json' ? only : 'json';
    }
    default:
      return 'json';
  }
}

/** The fields of an object schema's shape whose values are stored as JSON text. */
export function jsonFieldsOf(shape: Readonly<Record<string, unknown>>): ReadonlySet<string> {
  return new Set(Object.keys(shape).filter((field) => fieldKindOf(shape[field]) === 'json'));
}
