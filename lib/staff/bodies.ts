import { z } from 'zod';
import { LINK_TTL } from '@/lib/enrollment/policy';

// Bodies of the IT console's actions. Reasons are recorded in the audit trail.
export const Reason = z
  .string()
  .trim()
  .min(3, 'Give a reason (at least 3 characters); it is recorded in the audit trail')
  .max(500);

export const RegisterDeviceBody = z
  .object({
    serial: z.string().trim().min(1, 'Enter the serial number or asset tag').max(100),
    certificatePem: z
      .string()
      .min(1, 'Choose the device certificate (PEM)')
      .max(12_000, 'A device certificate is a few KiB; this file is too large'),
  })
  .strict();

export const IssueLinkBody = z
  .object({
    ttlMinutes: z
      .number()
      .int()
      .min(LINK_TTL.min / 60_000, 'A link lives at least 15 minutes')
      .max(LINK_TTL.max / 60_000, 'A link lives at most 14 days')
      .optional(),
    reason: Reason,
  })
  .strict();

export const RevokeLinkBody = z.object({ reason: Reason }).strict();

export const RequestRecoveryBody = z
  .object({ reason: Reason, revokePasskeys: z.boolean() })
  .strict();
export const DecideRecoveryBody = z
  .object({ decision: z.enum(['approve', 'decline', 'withdraw']) })
  .strict();
export const DecideRoleRequestBody = z
  .object({ decision: z.enum(['approve', 'decline', 'withdraw']) })
  .strict();

export const ChangeRoleBody = z
  .object({ role: z.enum(['it', 'manager']), grant: z.boolean(), reason: Reason })
  .strict();
export const RevokePasskeyBody = z.object({ reason: Reason }).strict();
