/** Where an approved recovery link went, as the approval route answers it (never the link itself). */
export type HandoverJson =
  | { to: 'mdm'; deviceSerial: string }
  | { to: 'requester'; requester: string; deviceSerial: string; expiresAt: string };

/** What the approver's screen says, so they know exactly who holds the new link. */
export function approvedMessage(handover: HandoverJson): string {
  return handover.to === 'mdm'
    ? `Approved. The new link was pushed to the laptop ${handover.deviceSerial}.`
    : `Approved. ${handover.requester} (IT) will hand over the new link; it works only on the laptop ${handover.deviceSerial}.`;
}
