import type { Metadata } from 'next';
import { PasskeyPolicyForm } from '@/components/staff/passkey-policy-form';
import { db } from '@/lib/db';
import { passkeyPolicyView, recentPolicyRefusals } from '@/lib/passkeys/policy';
import { knownProviders } from '@/lib/passkeys/providers';
import { formatInZone } from '@/lib/time/zone';
import { requireStaff } from '@/lib/staff/require';

export const metadata: Metadata = { title: 'Passkey policy' };

const RULES: Record<string, string> = {
  aaguid_not_allowed: 'not on the allow-list',
  aaguid_blocked: 'blocked',
  synced: 'synced (backup eligible)',
  attestation_missing: 'no attestation',
  not_in_metadata: 'not in FIDO metadata',
  authenticator_compromised: 'compromised model',
};

/** Which passkeys people may enroll (README "Passkey policy"), the FIDO metadata, recent refusals. */
export default async function PolicyPage() {
  await requireStaff('policy.view', '/it/policy');
  const at = new Date();
  const [view, refusals] = await Promise.all([
    passkeyPolicyView(db(), at),
    recentPolicyRefusals(db(), at),
  ]);
  const { policy, metadata: mds } = view;
  return (
    <>
      <h1 className="text-2xl font-bold tracking-tight">Passkey policy</h1>
      <p className="mt-2 text-slate-700">
        Checked for every new passkey: at enrollment and for backups people add on their passkeys
        page. Without required attestation, a passkey&rsquo;s AAGUID and its &ldquo;synced&rdquo;
        flag are what the authenticator says about itself.
      </p>
      <dl className="mt-4 grid max-w-2xl grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="font-semibold">Authenticators</dt>
        <dd data-testid="policy-aaguids">
          {policy.aaguidMode === 'any'
            ? 'any'
            : `${policy.aaguidMode === 'allow' ? 'only' : 'all but'}: ${view.listed
                .map((entry) => entry.name ?? entry.aaguid)
                .join(', ')}`}
        </dd>
        <dt className="font-semibold">Device-bound only</dt>
        <dd>{policy.deviceBoundOnly ? 'yes: synced passkeys are refused' : 'no'}</dd>
        <dt className="font-semibold">Attestation required</dt>
        <dd>{policy.attestationRequired ? 'yes: verified against FIDO metadata' : 'no'}</dd>
        <dt className="font-semibold">FIDO metadata</dt>
        <dd data-testid="policy-metadata">
          {mds
            ? `BLOB no. ${mds.no}, ${mds.entries} models, imported ${formatInZone(mds.importedAt)}; next update ${mds.nextUpdate}${mds.stale ? ' — out of date: import the current BLOB' : ''}`
            : 'none imported'}
        </dd>
        <dt className="font-semibold">Last changed</dt>
        <dd>{view.updatedAt ? `${formatInZone(view.updatedAt)} by ${view.updatedBy}` : 'never'}</dd>
      </dl>

      <PasskeyPolicyForm
        policy={policy}
        listed={view.listed}
        known={knownProviders()}
        hasMetadata={mds !== null}
      />

      <section aria-labelledby="refusals-title" className="mt-8">
        <h2 id="refusals-title" className="text-xl font-semibold">
          Refused in the last 7 days
        </h2>
        {refusals.length === 0 ? (
          <p className="mt-2 text-slate-700">No passkey was refused.</p>
        ) : (
          <table className="mt-2 w-full text-left text-sm">
            <thead>
              <tr className="border-b border-slate-300">
                <th scope="col" className="py-2 pr-3">
                  When
                </th>
                <th scope="col" className="py-2 pr-3">
                  Person
                </th>
                <th scope="col" className="py-2 pr-3">
                  Authenticator
                </th>
                <th scope="col" className="py-2 pr-3">
                  Why
                </th>
              </tr>
            </thead>
            <tbody>
              {refusals.map((refusal, index) => (
                <tr key={index} className="border-b border-slate-200" data-testid="policy-refusal">
                  <td className="py-2 pr-3">{formatInZone(refusal.at)}</td>
                  <td className="py-2 pr-3">
                    {refusal.employeeId ? (
                      <a href={`/it/hires/${encodeURIComponent(refusal.employeeId)}`}>
                        {refusal.name}
                      </a>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td className="py-2 pr-3">
                    {refusal.provider ?? 'unknown'}{' '}
                    <code className="text-xs">{refusal.aaguid}</code>
                  </td>
                  <td className="py-2 pr-3">{RULES[refusal.rule] ?? refusal.rule}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
