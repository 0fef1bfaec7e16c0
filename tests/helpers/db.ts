// A fresh, migrated database for one test file: PGlite in memory (copied from the template) or, in the
// db-postgres project, a new PostgreSQL database created from the template database.
import fs from 'node:fs';
import crypto from 'node:crypto';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../../src/lib/server/db/client';

export const dbKind = (process.env.LIEU_TEST_DB ?? 'pglite') as 'pglite' | 'postgres';

function withDb(url: string, name: string) {
	const u = new URL(url);
	u.pathname = `/${name}`;
	return u.toString();
}

/** A name for a PostgreSQL database of this test run (the next run drops it if this one dies; see global-db.ts). */
export function testDatabaseName(): string {
	return `lieu_t_${inject('pgRun')}_${crypto.randomBytes(6).toString('hex')}`;
}

/** Opens a fresh database for this test file. Call close() in afterAll. */
export async function freshDatabase(opts: { poolSize?: number } = {}): Promise<Database> {
	if (dbKind === 'postgres') {
		const url = process.env.TEST_DATABASE_URL!;
		const name = testDatabaseName();
		const pg = (await import('pg')).default;
		const admin = new pg.Client({ connectionString: url });
		await admin.connect();
		// CREATE DATABASE … TEMPLATE fails if another session is copying the template at the same moment: retry.
		for (let i = 0; ; i++) {
			try {
				await admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject('pgTemplate')}`);
				break;
			} catch (e) {
				if (i > 20) throw e;
				await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
			}
		}
		await admin.end();
		const database = await openDatabase({ url: withDb(url, name), poolSize: opts.poolSize ?? 20 });
		const close = database.close;
		database.close = async () => {
			await close();
			const a = new pg.Client({ connectionString: url });
			await a.connect();
			await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
			await a.end();
		};
		return database;
	}
	const file = inject('pgliteTemplate');
	const blob = new Blob([fs.readFileSync(file)]);
	return openDatabase({ memory: true, loadDataDir: blob });
}
