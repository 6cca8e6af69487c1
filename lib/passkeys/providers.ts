// Names of well-known passkey providers by AAGUID, to tell a hire (and IT) where their passkey lives.
// Source: the community-maintained passkey-authenticator-aaguids list. Unknown AAGUIDs — including
// the all-zero one that attestation "none" often yields — get a neutral name rather than a guess.
const PROVIDERS: Record<string, string> = {
  'ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4': 'Google Password Manager',
  'adce0002-35bc-c60a-648b-0b25f1f05503': 'Chrome on Mac',
  'fbfc3007-154e-4ecc-8c0b-6e020557d7bd': 'iCloud Keychain',
  'dd4ec289-e01d-41c9-bb89-70fa845d4bf2': 'iCloud Keychain (Managed)',
  '08987058-cadc-4b81-b6e1-30de50dcbe96': 'Windows Hello',
  '9ddd1817-af5a-4672-a2b9-3e3dd95000a9': 'Windows Hello',
  '6028b017-b1d4-4c02-b4b3-afcdafc96bb2': 'Windows Hello',
  'bada5566-a7aa-401f-bd96-45619a55120d': '1Password',
  'd548826e-79b4-db40-a3d8-11116f7e8349': 'Bitwarden',
  '531126d6-e717-415c-9320-3d9aa6981239': 'Dashlane',
  'ee882879-721c-4913-9775-3dfcce97072a': 'YubiKey 5 Series',
};

export function providerName(aaguid: string): string | null {
  return PROVIDERS[aaguid.toLowerCase()] ?? null;
}

/** The known providers, for IT choosing what to allow or block. */
export function knownProviders(): { aaguid: string; name: string }[] {
  return Object.entries(PROVIDERS).map(([aaguid, name]) => ({ aaguid, name }));
}
