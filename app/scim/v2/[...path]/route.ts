import { handleScim } from '@/lib/scim/handler';

// SCIM 2.0 (RFC 7644) for the company IdP's provisioning: bearer token, JSON, no cookies.
type Context = { params: Promise<{ path: string[] }> };

async function scim(request: Request, context: Context): Promise<Response> {
  return handleScim(request, (await context.params).path);
}

export const GET = scim;
export const POST = scim;
export const PUT = scim;
export const PATCH = scim;
export const DELETE = scim;
