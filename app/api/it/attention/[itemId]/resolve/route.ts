import { resolveAttentionItem, ResolveBody } from '@/lib/console/resolve-attention';
import { db } from '@/lib/db';
import { ok } from '@/lib/http/problem';
import { parseJson } from '@/lib/http/parse-json';
import { refusal } from '@/lib/staff/outcomes';
import { authorizeRequest } from '@/lib/staff/request-auth';

/** IT marks a help request as handled. */
export async function POST(request: Request, { params }: { params: Promise<{ itemId: string }> }) {
  const auth = await authorizeRequest(request, 'console.view');
  if (!auth.ok) return auth.response;
  const body = await parseJson(request, ResolveBody, 1024);
  if (!body.ok) return body.response;
  const result = await resolveAttentionItem(
    db(),
    { itemId: (await params).itemId },
    { actorId: auth.staff.id, at: auth.at, request: auth.context },
  );
  if (!result.ok) return refusal(result);
  return ok({ resolved: true });
}
