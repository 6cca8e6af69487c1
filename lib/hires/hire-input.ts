import { z } from 'zod';

/** "YYYY-MM-DD" that is a real calendar date (2026-02-30 is not). */
export const CalendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Expected a date as YYYY-MM-DD')
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
  }, 'Not a calendar date');

export const EmployeeId = z
  .string()
  .trim()
  .min(1, 'Employee id is required')
  .max(64, 'Employee id is at most 64 characters')
  .regex(/^[A-Za-z0-9._-]+$/, 'Employee id may contain letters, digits, ".", "_" and "-" only');

/** A BCP 47 language tag as HR and SCIM send it ("de", "fr-CA", "zh-Hant-TW"); kept as sent. */
export const LanguageTag = z
  .string()
  .trim()
  .max(35)
  .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, 'Expected a language tag such as "de" or "fr-CA"');

export const StaffRoleName = z.enum(['it', 'manager']);
export type StaffRoleName = z.infer<typeof StaffRoleName>;

export const HireInput = z
  .object({
    employeeId: EmployeeId,
    name: z.string().trim().min(1, 'Name is required').max(200, 'Name is at most 200 characters'),
    email: z
      .email('Expected an email address')
      .max(254)
      .transform((value) => value.toLowerCase()),
    startDate: CalendarDate,
    managerEmployeeId: EmployeeId.optional(),
    department: z.string().trim().min(1).max(100).optional(),
    preferredLanguage: LanguageTag.optional(),
    role: StaffRoleName.optional(),
  })
  .strict();

export type HireInput = z.infer<typeof HireInput>;

/** A hire added from the console: roles are granted on the person's page (two people for `it`). */
export const ConsoleHireInput = HireInput.refine((hire) => !hire.role, {
  path: ['role'],
  message: 'Roles are granted on the hire\u2019s page, with a fresh passkey confirmation',
});
