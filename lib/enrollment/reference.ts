// The reference code a failure page shows, so that IT can find the person from what they read out on
// the phone: "FK-" and the first 8 hex digits of the link's id. Not a secret (it names a link, and
// grants nothing); short enough to read aloud; the console's search box takes it (lib/hires/console-list.ts).
// 32 bits: two links sharing a code is rare, and then the search shows both people.

const REFERENCE = /^FK-?([0-9A-F]{8})$/i;

export function referenceOf(linkId: string): string {
  return `FK-${linkId.replace(/-/g, '').slice(0, 8).toUpperCase()}`;
}

/** The link-id prefix a reference code stands for, or null when `text` is not one. */
export function linkIdPrefixOf(text: string): string | null {
  const match = REFERENCE.exec(text.trim());
  return match ? match[1]!.toLowerCase() : null;
}
