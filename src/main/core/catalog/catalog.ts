import { AsyncLocalStorage } from 'node:async_hooks';
import sqlite3 from 'sqlite3';
import { SafehouseError } from '../../../shared/errors';
import { migrations as allMigrations, type Migration } from './migrations';

/**
 * Promise wrapper over one sqlite3 connection.
 *
 * Pragmas (set on every open, checked by tests):
 * - secure_delete=ON: deleted rows and freed pages are overwritten with zeros, not left in free pages.
 * - temp_store=MEMORY: sorts and temporary tables never spill to files in the OS temp dir.
 * - journal_mode=DELETE + synchronous=FULL: a rollback journal exists only during a write transaction and
 *   is deleted at commit, so nothing persists beside catalog.db, and a power cut mid-offload rolls back
 *   cleanly. WAL was rejected because the -wal file keeps old page images around until a checkpoint and
 *   secure_delete does not scrub it; MEMORY/OFF were rejected because a crash would corrupt the catalog.
 *   (The journal only ever holds what the database holds: sealed blobs and non-identifying values.)
 * - foreign_keys=ON: a clip cannot point at a card that does not exist.
 *
 * sqlite3 shares one connection across callers, so statements and transactions are serialised through a
 * queue; calls made inside a transaction callback (tracked with AsyncLocalStorage) run within it.
 */

export type SqlParams = unknown[] | Record<string, unknown>;

export interface CatalogTx {
  run(sql: string, params?: SqlParams): Promise<{ changes: number; lastID: number }>;
  get<T>(sql: string, params?: SqlParams): Promise<T | undefined>;
  all<T>(sql: string, params?: SqlParams): Promise<T[]>;
}

const inTransaction = new AsyncLocalStorage<Catalog>();

export class Catalog implements CatalogTx {
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(private readonly db: sqlite3.Database, readonly file: string) {}

  static async open(file: string, migrations: readonly Migration[] = allMigrations): Promise<Catalog> {
    const db = await new Promise<sqlite3.Database>((resolve, reject) => {
      const handle = new sqlite3.Database(file, (error) => (error ? reject(error) : resolve(handle)));
    });
    const catalog = new Catalog(db, file);
    try {
      await catalog.exec(`
        PRAGMA secure_delete = ON;
        PRAGMA temp_store = MEMORY;
        PRAGMA journal_mode = DELETE;
        PRAGMA synchronous = FULL;
        PRAGMA foreign_keys = ON;
      `);
      await catalog.migrate(migrations);
    } catch (error) {
      await catalog.close();
      throw error;
    }
    return catalog;
  }

  private raw<T>(method: 'run' | 'get' | 'all', sql: string, params: SqlParams = []): Promise<T> {
    if (this.closed) return Promise.reject(new SafehouseError('VAULT_LOCKED'));
    return new Promise<T>((resolve, reject) => {
      if (method === 'run') {
        this.db.run(sql, params, function (error) {
          if (error) reject(error);
          else resolve({ changes: this.changes, lastID: this.lastID } as T);
        });
      } else {
        this.db[method](sql, params, (error: Error | null, result: unknown) => (error ? reject(error) : resolve(result as T)));
      }
    });
  }

  private exec(sql: string): Promise<void> {
    return new Promise((resolve, reject) => this.db.exec(sql, (error) => (error ? reject(error) : resolve())));
  }

  /** Runs fn after everything queued before it, unless we are already inside a transaction. */
  private enqueue<T>(fn: () => Promise<T>): Promise<T> {
    if (inTransaction.getStore() === this) return fn();
    const next = this.queue.then(fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  run(sql: string, params?: SqlParams): Promise<{ changes: number; lastID: number }> {
    return this.enqueue(() => this.raw('run', sql, params));
  }

  get<T>(sql: string, params?: SqlParams): Promise<T | undefined> {
    return this.enqueue(() => this.raw<T | undefined>('get', sql, params));
  }

  all<T>(sql: string, params?: SqlParams): Promise<T[]> {
    return this.enqueue(() => this.raw<T[]>('all', sql, params));
  }

  /** BEGIN IMMEDIATE … COMMIT, or ROLLBACK if fn throws. Nested calls join the outer transaction. */
  transaction<T>(fn: (tx: CatalogTx) => Promise<T>): Promise<T> {
    if (inTransaction.getStore() === this) return fn(this);
    return this.enqueue(() =>
      inTransaction.run(this, async () => {
        await this.raw('run', 'BEGIN IMMEDIATE');
        try {
          const result = await fn(this);
          await this.raw('run', 'COMMIT');
          return result;
        } catch (error) {
          await this.raw('run', 'ROLLBACK').catch(() => undefined);
          throw error;
        }
      }),
    );
  }

  async schemaVersion(): Promise<number> {
    const row = await this.get<{ user_version: number }>('PRAGMA user_version');
    return row?.user_version ?? 0;
  }

  /** Applies every migration above the current user_version, each in its own transaction. */
  async migrate(migrations: readonly Migration[] = allMigrations, upTo = Infinity): Promise<number> {
    let current = await this.schemaVersion();
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (m.version <= current || m.version > upTo) continue;
      if (!Number.isInteger(m.version) || m.version < 1) throw new Error(`bad migration version ${m.version}`);
      await this.transaction(async () => {
        await this.exec(m.up);
        await this.raw('run', `PRAGMA user_version = ${m.version}`);
      });
      current = m.version;
    }
    return current;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.queue;
    this.closed = true;
    await new Promise<void>((resolve, reject) => this.db.close((error) => (error ? reject(error) : resolve())));
  }
}

export function openCatalog(file: string): Promise<Catalog> {
  return Catalog.open(file);
}
