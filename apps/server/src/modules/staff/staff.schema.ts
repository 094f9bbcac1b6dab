import { Email, Phone, requiredText, StaffRole, Username } from '@clinicdesk/domain';
import { z } from 'zod';

/** Request and response bodies of clinic staff administration; OpenAPI is generated from these. */
const Password = z.string().min(1).max(256);
const OptionalText = (max: number) => z.string().trim().max(max);

/** A doctor's professional details; the licence number is unique within the clinic. */
export const DoctorProfileBody = z
  .object({
    specialization: requiredText(200),
    licenceNumber: requiredText(100).describe('Medical council registration, e.g. MMC/2011/04/1234'),
    qualification: OptionalText(200).optional(),
    registrationCouncil: OptionalText(200).optional(),
  })
  .strict();

export const DoctorProfilePatchBody = z
  .object({
    specialization: requiredText(200).optional(),
    licenceNumber: requiredText(100).optional(),
    qualification: OptionalText(200).optional(),
    registrationCouncil: OptionalText(200).optional(),
  })
  .strict();

export const CreateStaffBody = z
  .object({
    username: Username,
    displayName: requiredText(100),
    role: StaffRole,
    phone: Phone.nullable().optional(),
    email: Email.nullable().optional(),
    password: Password.optional().describe('Initial password; omit it to get a one-time setup link instead'),
    doctor: DoctorProfileBody.optional().describe('Required for doctors, refused for other roles'),
  })
  .strict()
  .refine((b) => (b.role === 'doctor') === (b.doctor !== undefined), {
    message: 'A doctor needs a doctor profile (specialization, licence number); other roles have none',
    path: ['doctor'],
  });
export type CreateStaffBody = z.infer<typeof CreateStaffBody>;

export const UpdateStaffBody = z
  .object({
    displayName: requiredText(100).optional(),
    phone: Phone.nullable().optional(),
    email: Email.nullable().optional(),
    doctor: DoctorProfilePatchBody.optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: 'Nothing to change' });
export type UpdateStaffBody = z.infer<typeof UpdateStaffBody>;

export const StaffMember = z.object({
  id: z.string().uuid(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(['admin', 'doctor', 'receptionist', 'lab_tech']),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  isActive: z.boolean(),
  passwordSet: z.boolean().describe('False until the person has chosen a password through their setup link'),
  createdAt: z.string(),
  updatedAt: z.string(),
  doctor: z
    .object({
      specialization: z.string(),
      licenceNumber: z.string(),
      qualification: z.string(),
      registrationCouncil: z.string(),
    })
    .nullable(),
});
export type StaffMember = z.infer<typeof StaffMember>;

export const SetupLink = z.object({
  url: z.string().describe('One-time link to choose a password; shown once, never stored in plain text'),
  expiresAt: z.string(),
});
export type SetupLink = z.infer<typeof SetupLink>;

export const CreateStaffResponse = z.object({ member: StaffMember, setupLink: SetupLink.nullable() });
export const StaffList = z.object({ staff: z.array(StaffMember) });
export const StaffIdParams = z.object({ id: z.string().uuid() }).strict();

export const SetupPasswordBody = z
  .object({
    clinicSlug: z.string().trim().toLowerCase().min(2).max(63),
    token: z.string().min(20).max(200),
    newPassword: Password,
  })
  .strict();
export type SetupPasswordBody = z.infer<typeof SetupPasswordBody>;
export const SetupPasswordResponse = z.object({ username: z.string(), clinicSlug: z.string() });

export const ClinicAuditQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    beforeSeq: z.coerce.number().int().min(1).optional(),
    action: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .optional()
      .describe('Action prefix, e.g. "staff." or "auth.login"'),
  })
  .strict();
