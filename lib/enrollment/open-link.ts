// "An open link": not used, not revoked, not expired — one rule for queries and for loaded rows.
// (Revocations deliberately use the wider "not used and not revoked", which includes expired links.)

export function openLinkWhere(at: Date) {
  return { consumedAt: null, revokedAt: null, expiresAt: { gt: at } };
}

export function isOpenLink(
  link: { consumedAt: Date | null; revokedAt: Date | null; expiresAt: Date },
  at: Date,
): boolean {
  return !link.consumedAt && !link.revokedAt && link.expiresAt > at;
}
