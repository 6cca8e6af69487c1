import { z } from 'zod';

// The JSON shapes @simplewebauthn/browser sends, validated before any verification runs.
const Base64Url = z
  .string()
  .regex(/^[A-Za-z0-9_-]*$/, 'Expected base64url')
  .max(8_192);
const Transport = z.enum(['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb']);

export const RegistrationResponseSchema = z.object({
  id: Base64Url.min(1),
  rawId: Base64Url.min(1),
  type: z.literal('public-key'),
  response: z.object({
    clientDataJSON: Base64Url.min(1),
    attestationObject: Base64Url.min(1),
    authenticatorData: Base64Url.optional(),
    transports: z.array(Transport).max(8).optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: Base64Url.optional(),
  }),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults: z.record(z.string(), z.unknown()),
});

export const AuthenticationResponseSchema = z.object({
  id: Base64Url.min(1),
  rawId: Base64Url.min(1),
  type: z.literal('public-key'),
  response: z.object({
    clientDataJSON: Base64Url.min(1),
    authenticatorData: Base64Url.min(1),
    signature: Base64Url.min(1),
    userHandle: Base64Url.optional(),
  }),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults: z.record(z.string(), z.unknown()),
});

export const VerifyRegistrationBody = z.object({ response: RegistrationResponseSchema }).strict();
export const VerifyAuthenticationBody = z
  .object({ response: AuthenticationResponseSchema })
  .strict();
export const EmptyBody = z.object({}).strict();
