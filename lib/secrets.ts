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
  return config.sessionSecret ?? dataDirSecret('session-key');
}

/**
 * The AES-256-GCM key that seals outbox messages carrying a link (MDM pushes), so no usable token sits
 * in the database in clear: FIRSTKEY_OUTBOX_KEY (base64, 32 bytes), or one created in the data folder.
 */
export function outboxKey(): Buffer {
  const key = Buffer.from(env().outboxKey ?? dataDirSecret('outbox-key'), 'base64url');
  if (key.length !== 32)
    throw new Error(`FIRSTKEY_OUTBOX_KEY must be 32 bytes of base64; got ${key.length} bytes`);
  return key;
}

/** A random 32-byte key kept in the data folder (mode 0600), created once, shared by the CLI and server. */
function dataDirSecret(name: string): string {
  const file = path.join(env().dataDir, 'secrets', name);
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    try {
      // 'wx': if another process created it first, we read theirs below.
      fs.writeFileSync(file, crypto.randomBytes(32).toString('base64url'), {
        mode: 0o600,
        flag: 'wx',
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    return fs.readFileSync(file, 'utf8').trim();
  }
}
