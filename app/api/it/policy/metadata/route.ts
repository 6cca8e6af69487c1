import { z } from 'zod';
import { db } from '@/lib/db';
import { ok } from '@/lib/http/problem';
import { parseJson } from '@/lib/http/parse-json';
import { importMetadataBlob, MAX_BLOB_BYTES } from '@/lib/passkeys/metadata';
import { refusal } from '@/lib/staff/outcomes';
import { authorizeRequest } from '@/lib/staff/request-auth';

const ImportBody = z
  .object({ blob: z.string().min(1, 'Expected the BLOB file’s contents') })
  .strict();

/** IT imports a FIDO MDS3 BLOB downloaded from the FIDO Alliance (a sensitive action). */
export async function POST(request: Request) {
  const auth = await authorizeRequest(request, 'policy.change');
  if (!auth.ok) return auth.response;
  const body = await parseJson(request, ImportBody, MAX_BLOB_BYTES + 1024);
  if (!body.ok) return body.response;
  const result = await importMetadataBlob(db(), body.data.blob, {
    actor: { type: 'user', id: auth.staff.id },
    at: auth.at,
  });
  if (!result.ok) return refusal(result);
  return ok(result);
}
