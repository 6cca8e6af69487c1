import { z } from 'zod';
import { CalendarDate, EmployeeId, LanguageTag } from '@/lib/hires/hire-input';

// The HR webhook body (DESIGN.md "Contracts"). A leaver needs only the employee id.
const Device = z
  .object({
    serial: z.string().trim().min(1).max(100),
    certificatePem: z.string().min(1).max(12_000),
  })
  .strict();

const Person = z
  .object({
    employeeId: EmployeeId,
    name: z.string().trim().min(1).max(200),
    email: z
      .email()
      .max(254)
      .transform((value) => value.toLowerCase()),
    startDate: CalendarDate,
    managerEmployeeId: EmployeeId.nullish(),
    department: z.string().trim().min(1).max(100).nullish(),
    /** The language the person reads their pages in (BCP 47); absent: their browser's. */
    preferredLanguage: LanguageTag.nullish(),
    device: Device.nullish(),
  })
  .strict();

export const HrEventBody = z.discriminatedUnion('type', [
  z.object({ type: z.literal('joiner'), data: Person }).strict(),
  z.object({ type: z.literal('change'), data: Person }).strict(),
  z
    .object({
      type: z.literal('leaver'),
      data: Person.partial().extend({ employeeId: EmployeeId }).strict(),
    })
    .strict(),
]);
export type HrEventBody = z.infer<typeof HrEventBody>;
export type HrPerson = z.infer<typeof Person>;
