import { z } from 'zod';
import { EmployeeId } from '@/lib/hires/hire-input';

// The MDM's device assignment (README "MDM device assignment"): the person, by employee id or work
// email (what an MDM knows of its user: Intune and Jamf both hold the user's email), and the laptop —
// its serial and the TLS client certificate the MDM installed on it.
export const MdmAssignmentBody = z
  .object({
    employeeId: EmployeeId.optional(),
    email: z
      .email()
      .max(254)
      .transform((value) => value.toLowerCase())
      .optional(),
    serial: z.string().trim().min(1).max(100),
    certificatePem: z.string().min(1).max(12_000),
  })
  .strict()
  .refine((body) => body.employeeId !== undefined || body.email !== undefined, {
    message: 'Name the person: "employeeId" or "email" (or both)',
  });
export type MdmAssignmentBody = z.infer<typeof MdmAssignmentBody>;
