// A throwaway database for a benchmark run: a new database on the PostgreSQL server of pgUrl (dropped after),
// or a fresh PGlite folder in the temp directory (removed after).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { openDatabase, type Database } from '../src/lib/server/db/client';

export async function openFresh(pgUrl: string | undefined, opts: { poolSize: number; label: string }): Promise<{ database: Database; drop: () => Promise<void> }> {
	if (pgUrl) {
		const pg = (await import('pg')).default;
		const name = `lieu_bench_${crypto.randomBytes(4).toString('hex')}`;
		const admin = new pg.Client({ connectionString: pgUrl });
		await admin.connect();
		await admin.query(`CREATE DATABASE ${name}`);
		await admin.end();
		const u = new URL(pgUrl);
		u.pathname = `/${name}`;
		const database = await openDatabase({ url: u.toString(), poolSize: opts.poolSize });
		return {
			database,
			drop: async () => {
				await database.close();
				const a = new pg.Client({ connectionString: pgUrl });
				await a.connect();
				await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
				await a.end();
			}
		};
	}
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), `lieu-bench-${opts.label}-`));
	fs.mkdirSync(path.join(dir, 'data'));
	const database = await openDatabase({ dataDir: path.join(dir, 'data'), holder: 'bench' });
	return {
		database,
		drop: async () => {
			await database.close();
			fs.rmSync(dir, { recursive: true, force: true });
		}
	};
}
