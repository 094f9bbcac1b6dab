/**
 * Metadata of an uploaded file (a report, a scanned prescription). The bytes live in object storage
 * under `storageKey`; `sha256` lets the server and devices check what they hold. Named
 * `PatientDocument` so it never shadows the DOM's `Document` in renderer code.
 */
import { z } from 'zod';
import { orNull, requiredText, Sha256Hex, Uuid } from './common.schema';
import { entityInput, entityPatch, entitySchema } from './sync-columns.schema';

/** What an uploaded file is. */
export const DocumentKind = z.enum(['medical_report', 'test_report', 'prescription_scan', 'other']);
export type DocumentKind = z.infer<typeof DocumentKind>;

const documentFields = {
  patientId: Uuid,
  visitId: orNull(Uuid),
  kind: DocumentKind,
  fileName: requiredText(255),
  mimeType: z.string().regex(/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i, 'Not a MIME type'),
  sizeBytes: z.number().int().min(0).max(2_147_483_647),
  sha256: Sha256Hex,
  storageKey: requiredText(500),
  uploadedBy: Uuid,
};

/** Metadata of an uploaded document. */
export const PatientDocument = entitySchema(documentFields);
export type PatientDocument = z.infer<typeof PatientDocument>;

/** Registering an uploaded document. */
export const PatientDocumentInput = entityInput(documentFields);
export type PatientDocumentInput = z.input<typeof PatientDocumentInput>;

/** Editing document metadata (e.g. its kind). */
export const PatientDocumentPatch = entityPatch(documentFields);
export type PatientDocumentPatch = z.infer<typeof PatientDocumentPatch>;
