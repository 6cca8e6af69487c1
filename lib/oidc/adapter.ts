import 'server-only';
import { errors, type Adapter, type AdapterPayload } from 'oidc-provider';
import type { Db } from '@/lib/db';
import { clientMetadata } from '@/lib/oidc/clients';
import { OIDC_CLEANUP_INTERVAL_MS } from '@/lib/oidc/policy';

// oidc-provider's storage interface (its example/my_adapter.js documents it) on one table,
// OidcPayload, in Firstkey's own database: every app instance sees the same sessions, codes and
// tokens, and a leaver's rows can be deleted in the transaction that offboards them
// (lib/oidc/end-sessions.ts). Clients are not stored here: IT registers them (OidcClient), and the
// provider reads them through the `Client` model below.

export type AdapterOptions = { now?: () => Date };

/** Seconds since the epoch, the provider's unit for `exp`, `iat` and `consumed`. */
function epochSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/** The person a payload belongs to: tokens, grants and sessions name them; an interaction carries them inside. */
function accountIdOf(payload: AdapterPayload): string | null {
  const inner = payload as {
    session?: { accountId?: string };
    result?: { login?: { accountId?: string } };
  };
  return payload.accountId ?? inner.result?.login?.accountId ?? inner.session?.accountId ?? null;
}

/** Deletes provider rows past their expiry. Run now and then by the adapter; safe to run anywhere. */
export async function deleteExpiredOidcPayloads(db: Db, at: Date): Promise<number> {
  const { count } = await db.oidcPayload.deleteMany({ where: { expiresAt: { lt: at } } });
  return count;
}

const lastCleanup = { at: 0 };

class PrismaAdapter implements Adapter {
  constructor(
    private readonly db: Db,
    private readonly model: string,
    private readonly now: () => Date,
  ) {}

  private key(id: string) {
    return { model_id: { model: this.model, id } };
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    const at = this.now();
    const data = {
      payload: JSON.stringify(payload),
      grantId: payload.grantId ?? null,
      userCode: payload.userCode ?? null,
      uid: this.model === 'Session' ? (payload.uid ?? null) : null,
      accountId: accountIdOf(payload),
      expiresAt: typeof expiresIn === 'number' ? new Date(at.getTime() + expiresIn * 1000) : null,
    };
    await this.db.oidcPayload.upsert({
      where: this.key(id),
      create: { model: this.model, id, ...data },
      update: data,
    });
    if (at.getTime() - lastCleanup.at > OIDC_CLEANUP_INTERVAL_MS) {
      lastCleanup.at = at.getTime();
      await deleteExpiredOidcPayloads(this.db, at);
    }
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    const row = await this.db.oidcPayload.findUnique({ where: this.key(id) });
    return row ? this.present(row) : undefined;
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    const row = await this.db.oidcPayload.findFirst({ where: { model: this.model, uid } });
    return row ? this.present(row) : undefined;
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    const row = await this.db.oidcPayload.findFirst({ where: { model: this.model, userCode } });
    return row ? this.present(row) : undefined;
  }

  /**
   * Marks a code or refresh token used. Conditional, so of two concurrent redemptions (two app
   * instances) exactly one wins; the other is a replay: like the provider's own replay rule
   * (RFC 6749 §4.1.2), everything issued from that grant is revoked and the request fails.
   */
  async consume(id: string): Promise<void> {
    const at = this.now();
    const { count } = await this.db.oidcPayload.updateMany({
      where: { model: this.model, id, consumedAt: null },
      data: { consumedAt: at },
    });
    if (count === 1) return;
    const row = await this.db.oidcPayload.findUnique({
      where: this.key(id),
      select: { grantId: true },
    });
    if (row?.grantId) await this.revokeByGrantId(row.grantId);
    throw new errors.InvalidGrant(`${this.model} already used`);
  }

  async destroy(id: string): Promise<void> {
    await this.db.oidcPayload.deleteMany({ where: { model: this.model, id } });
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    await this.db.oidcPayload.deleteMany({
      where: { OR: [{ grantId }, { model: 'Grant', id: grantId }] },
    });
  }

  private present(row: {
    payload: string;
    expiresAt: Date | null;
    consumedAt: Date | null;
  }): AdapterPayload | undefined {
    if (row.expiresAt && row.expiresAt <= this.now()) return undefined;
    const payload = JSON.parse(row.payload) as AdapterPayload;
    return row.consumedAt ? { ...payload, consumed: epochSeconds(row.consumedAt) } : payload;
  }
}

/** The registered clients, read-only: `firstkey oidc client add` is the only way a client is made. */
class ClientAdapter implements Adapter {
  constructor(private readonly db: Db) {}

  async find(id: string): Promise<AdapterPayload | undefined> {
    const client = await this.db.oidcClient.findUnique({ where: { id } });
    return client && !client.disabledAt ? clientMetadata(client) : undefined;
  }

  async upsert(): Promise<void> {
    throw new Error(
      'Clients are registered by IT (firstkey oidc client add), not through the provider',
    );
  }

  async destroy(): Promise<void> {
    throw new Error('Clients are removed by IT, not through the provider');
  }

  async consume(): Promise<void> {}
  async findByUid(): Promise<undefined> {}
  async findByUserCode(): Promise<undefined> {}
  async revokeByGrantId(): Promise<void> {}
}

/** The `adapter` option of oidc-provider: one adapter per model name. */
export function prismaAdapter(db: Db, options: AdapterOptions = {}): (model: string) => Adapter {
  const now = options.now ?? (() => new Date());
  return (model) =>
    model === 'Client' ? new ClientAdapter(db) : new PrismaAdapter(db, model, now);
}
