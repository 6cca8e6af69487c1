import NextAuth from 'next-auth';
import { authOptions } from '@/lib/staff/auth-options';

type Context = { params: Promise<{ nextauth: string[] }> };

/** next-auth's endpoints (csrf, callback/passkey, session, signout). */
async function handler(request: Request, context: Context) {
  return NextAuth(request as never, context as never, authOptions());
}

export { handler as GET, handler as POST };
