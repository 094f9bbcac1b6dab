import { describe, expect, it } from 'vitest';
import { PatientDocumentInput } from './document.schema';
import { exampleInput } from './test-support';

describe('PatientDocument', () => {
  const base = exampleInput('document');

  it('checks digest, MIME type and size', () => {
    expect(PatientDocumentInput.safeParse({ ...base, mimeType: 'image/jpeg' }).success).toBe(true);
    expect(PatientDocumentInput.safeParse({ ...base, sha256: 'A'.repeat(64) }).success).toBe(false);
    expect(PatientDocumentInput.safeParse({ ...base, sha256: 'a'.repeat(63) }).success).toBe(false);
    expect(PatientDocumentInput.safeParse({ ...base, mimeType: 'pdf' }).success).toBe(false);
    expect(PatientDocumentInput.safeParse({ ...base, sizeBytes: -1 }).success).toBe(false);
    expect(PatientDocumentInput.safeParse({ ...base, sizeBytes: 2 ** 31 }).success).toBe(false);
    expect(PatientDocumentInput.safeParse({ ...base, kind: 'xray' }).success).toBe(false);
  });
});
