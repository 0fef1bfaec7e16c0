import fs from 'node:fs';
import path from 'node:path';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import * as schema from './schema';
import { lockDataDir } from './lockfile';

export type Schema = typeof schema;
/** The driver-agnostic drizzle handle used by every module (PGlite or node-postgres underneath). */
export type Db = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** A transaction handle has the same query surface as Db. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export interface Database {
	db: Db;
	kind: 'pglite' | 'postgres';
	/** Run raw SQL (several statements allowed); for migrations, tests and backups. */
	exec(sql: string): Promise<void>;
	/** Run one parameterised query and return its rows. */
	query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
	close(): Promise<void>;
	/** Only for PGlite: the raw client (dumpDataDir for test templates). */
	pglite?: import('@electric-sql/pglite').PGlite;
	url?: string;
}

export interface OpenOptions {
	/** postgres://… : use a PostgreSQL server. */
	url?: string;
	/** PGlite folder; ignored with url. */
	dataDir?: string;
	/** PGlite in memory (tests). */
	memory?: boolean;
	/** PGlite: start from a dumped data folder (test template). */
	loadDataDir?: Blob | File;
	/** Who holds the PGlite folder lock (shown to a second process). */
	holder?: string;
	/** node-postgres pool size. */
	poolSize?: number;
}

/** Opens PGlite (folder or memory) or PostgreSQL. Never called at module load (vite build imports modules). */
export async function openDatabase(opts: OpenOptions): Promise<Database> {
	if (opts.url) {
		const pg = (await import('pg')).default;
		// why: timestamptz comes back as Date, bigint counts (COUNT(*)) as numbers are handled per query.
		const pool = new pg.Pool({ connectionString: opts.url, max: opts.poolSize ?? 10 });
		pool.on('error', () => {
			/* idle client errors (server restart) must not crash the process */
		});
		const { drizzle } = await import('drizzle-orm/node-postgres');
		const db = drizzle(pool, { schema }) as unknown as Db;
		return {
			db,
			kind: 'postgres',
			url: opts.url,
			exec: async (sql) => {
				await pool.query(sql);
			},
			query: async (sql, params) => (await pool.query(sql, params as unknown[])).rows,
			close: () => pool.end()
		};
	}
	const { PGlite } = await import('@electric-sql/pglite');
	const { btree_gist } = await import('@electric-sql/pglite/contrib/btree_gist');
	let release = () => {};
	let dataDir: string | undefined;
	if (!opts.memory) {
		dataDir = path.resolve(opts.dataDir ?? './data');
		release = lockDataDir(dataDir, opts.holder ?? 'lieu');
		fs.mkdirSync(path.join(dataDir, 'pglite'), { recursive: true });
	}
	let client;
	try {
		client = await PGlite.create({
			dataDir: dataDir ? path.join(dataDir, 'pglite') : undefined,
			loadDataDir: opts.loadDataDir,
			extensions: { btree_gist }
		});
	} catch (e) {
		release();
		throw e;
	}
	const { drizzle } = await import('drizzle-orm/pglite');
	const db = drizzle(client, { schema }) as unknown as Db;
	return {
		db,
		kind: 'pglite',
		pglite: client,
		exec: async (sql) => {
			await client.exec(sql);
		},
		query: async (sql, params) => (await client.query(sql, params as unknown[])).rows as never,
		close: async () => {
			await client.close();
			release();
		}
	};
}
