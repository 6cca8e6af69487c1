import 'server-only';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { env } from '@/lib/env';

/**
 * The key that signs and encrypts staff session cookies: NEXTAUTH_SECRET, or (single instance, the
 * embedded default) a random key created once in the data folder with mode 0600. Several app
 * instances must share NEXTAUTH_SECRET instead.
 */
export function sessionSecret(): string {
  const config = env();
  if (config.sessionSecret) return config.sessionSecret;
  const file = path.join(config.dataDir, 'secrets', 'session-key');
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    try {
      // 'wx': if another process created it first, we read theirs below.
      fs.writeFileSync(file, crypto.randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    return fs.readFileSync(file, 'utf8').trim();
  }
}
