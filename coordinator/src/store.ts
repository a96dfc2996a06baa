/**
 * The coordinator's LevelDB: public key records and signing requests. It holds no secret
 * (no share ever reaches the coordinator); the admin token is kept only as a hash in memory.
 */
import { Level } from 'level';

export interface KeyRecord {
  readonly id: string;
  readonly name: string;
  readonly publicKey: string;
  readonly address: string;
  readonly threshold: number;
  readonly parties: readonly { readonly index: number; readonly peerId: string }[];
  readonly publicShares: readonly string[];
  readonly createdAt: string;
  /** Signing pairs a node refused for good after a failed OT/VOLE check (ABORT_BAN). */
  readonly bannedPairs: readonly (readonly [number, number])[];
}

export type SignStatus = 'signing' | 'signed' | 'failed';

export interface SignAttempt {
  readonly nodes: readonly number[];
  readonly sessionId: string;
  readonly error?: { readonly code: string; readonly message: string; readonly culprit?: number };
}

export interface SignRequestRecord {
  readonly id: string;
  readonly keyId: string;
  readonly kind: 'digest';
  readonly digest: string;
  status: SignStatus;
  signature?: { r: string; s: string; v: number; yParity: 0 | 1 };
  nodes?: { index: number; peerId: string }[];
  sessionId?: string;
  attempts: SignAttempt[];
  error?: { code: string; message: string };
  readonly createdAt: string;
  updatedAt: string;
}

export class CoordinatorStore {
  private constructor(
    private readonly db: Level<string, unknown>,
    private readonly keys: ReturnType<Level<string, unknown>['sublevel']>,
    private readonly requests: ReturnType<Level<string, unknown>['sublevel']>,
  ) {}

  static async open(dir: string): Promise<CoordinatorStore> {
    const db = new Level<string, unknown>(dir, { valueEncoding: 'json' });
    await db.open();
    return new CoordinatorStore(
      db,
      db.sublevel<string, unknown>('keys', { valueEncoding: 'json' }) as never,
      db.sublevel<string, unknown>('requests', { valueEncoding: 'json' }) as never,
    );
  }

  async putKey(k: KeyRecord): Promise<void> {
    await this.keys.put(k.id, k);
  }
  async getKey(id: string): Promise<KeyRecord | undefined> {
    return (await this.keys.get(id)) as KeyRecord | undefined;
  }
  async listKeys(): Promise<KeyRecord[]> {
    const all = (await this.keys.values().all()) as KeyRecord[];
    return all.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }
  async putRequest(r: SignRequestRecord): Promise<void> {
    await this.requests.put(r.id, r);
  }
  async getRequest(id: string): Promise<SignRequestRecord | undefined> {
    return (await this.requests.get(id)) as SignRequestRecord | undefined;
  }
  async close(): Promise<void> {
    await this.db.close();
  }
}
