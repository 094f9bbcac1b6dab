/**
 * LIKE patterns built from what a user typed: the wildcards `%` and `_` (and the escape character)
 * are escaped, so a search for "50%" or "clinic_status" means that text. PostgreSQL's default LIKE
 * escape character is the backslash.
 */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Matches values that contain `text`. */
export function containsPattern(text: string): string {
  return `%${escapeLike(text)}%`;
}

/** Matches values that start with `text`. */
export function prefixPattern(text: string): string {
  return `${escapeLike(text)}%`;
}
