// Every action the audit trail records, as one union: writers cannot invent a name by accident, and
// readers (the attention panel, metrics, the timeline) match names the compiler knows.
export const AUDIT_ACTIONS = [
  // People and their laptops
  'hire_added',
  'hires_imported',
  'device_registered',
  'device_retired',
  'offboarded',
  'state_changed',
  // Links and enrollment
  'link_issued',
  'link_push_queued',
  'link_opened',
  'link_redeemed',
  'link_revoked',
  'link_peek_refused',
  'link_redeem_refused',
  'device_mismatch',
  'passkey_registered',
  'passkey_registration_failed',
  // A person's own passkeys (/account); removing one is `passkey_revoked` by its owner
  'passkey_added',
  'passkey_add_failed',
  'passkey_renamed',
  // The passkey policy IT sets (lib/passkeys/policy.ts) and the FIDO metadata it checks against
  'passkey_policy_changed',
  'passkey_policy_refused',
  'metadata_imported',
  // Signing in and losing access
  'passkey_signed_in',
  'passkey_sign_in_failed',
  'passkey_revoked',
  'passkeys_revoked',
  'signed_out',
  'signed_out_everywhere',
  // Staff roles (two people for `it`)
  'role_requested',
  'role_request_approved',
  'role_request_declined',
  'role_request_withdrawn',
  'role_granted',
  'role_revoked',
  'admin_bootstrapped',
  // Recovery (two people)
  'recovery_requested',
  'recovery_approved',
  'recovery_declined',
  'recovery_withdrawn',
  'recovery_voided',
  'recovery_link_handed_over',
  // Help, HR and the MDM
  'help_requested',
  'new_link_requested',
  'help_resolved',
  'hr_joiner',
  'hr_change',
  'hr_leaver',
  // SCIM provisioning (the company IdP), the connection as actor
  'scim_connection_created',
  'scim_connection_revoked',
  'scim_user_created',
  'scim_user_updated',
  'scim_user_deactivated',
  'scim_user_reactivated',
  'scim_user_deleted',
  'mdm_device_assigned',
  'delivery_succeeded',
  'delivery_failed',
  // Apps signing people in (OpenID Connect)
  'oidc_client_added',
  'oidc_sign_in',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];
