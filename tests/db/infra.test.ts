// Database infrastructure: migrations are forward-only, idempotent and serialised; a PGlite folder has one owner.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/lib/server/db/client';
import { migrateDatabase } from '../../src/lib/server/db/migrate';
import { lockDataDir } from '../../src/lib/server/db/lockfile';
import { dbKind, testDatabaseName } from '../helpers/db';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
	for (const c of cleanups.reverse()) await c();
});

/** An EMPTY database (not from the migrated template): PGlite in memory, or a new PostgreSQL database. */
async function emptyDatabase(poolSize = 5): Promise<() => Promise<Database>> {
	if (dbKind === 'postgres') {
		const pg = (await import('pg')).default;
		const url = process.env.TEST_DATABASE_URL!;
		const name = testDatabaseName();
		const admin = new pg.Client({ connectionString: url });
		await admin.connect();
		await admin.query(`CREATE DATABASE ${name}`);
		await admin.end();
		const u = new URL(url);
		u.pathname = `/${name}`;
		cleanups.push(async () => {
			const a = new pg.Client({ connectionString: url });
			await a.connect();
			await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
			await a.end();
		});
		return () => openDatabase({ url: u.toString(), poolSize });
	}
	const db = await openDatabase({ memory: true });
	cleanups.push(() => db.close());
	return async () => db;
}

describe('migrations', () => {
	it('apply on an empty database, then again as a no-op', async () => {
		const open = await emptyDatabase();
		const db = await open();
		await migrateDatabase(db);
		await migrateDatabase(db);
		const rows = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`);
		const journal = JSON.parse(fs.readFileSync('drizzle/meta/_journal.json', 'utf8'));
		expect(rows[0].n).toBe(journal.entries.length);
		if (dbKind === 'postgres') await db.close();
	});

	it('never run twice at once: concurrent starts apply each migration exactly once', async () => {
		if (dbKind !== 'postgres') {
			// PGlite: one process owns the folder (see the lock tests below), so there is no concurrent start.
			expect(dbKind).toBe('pglite');
			return;
		}
		const open = await emptyDatabase();
		const dbs = await Promise.all([open(), open(), open(), open()]);
		await Promise.all(dbs.map((d) => migrateDatabase(d)));
		const rows = await dbs[0].query<{ n: number }>(`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`);
		const journal = JSON.parse(fs.readFileSync('drizzle/meta/_journal.json', 'utf8'));
		expect(rows[0].n).toBe(journal.entries.length);
		await Promise.all(dbs.map((d) => d.close()));
	});
});

describe('PGlite data folder lock', () => {
	it('refuses a second owner with a clear message, and takes over a stale lock', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lieu-lock-'));
		cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
		// A live process holds the lock.
		const holder = spawn(process.execPath, ['-e', 'setTimeout(()=>{}, 60000)']);
		fs.writeFileSync(path.join(dir, 'lieu.lock'), JSON.stringify({ pid: holder.pid, holder: 'server', since: new Date().toISOString() }));
		try {
			expect(() => lockDataDir(dir, 'cli')).toThrow(/in use by another Lieu process \(server, pid/);
		} finally {
			holder.kill();
			await new Promise((r) => holder.once('exit', r));
		}
		// The holder died without cleaning up: its lock is stale and gets taken over.
		const release = lockDataDir(dir, 'cli');
		expect(JSON.parse(fs.readFileSync(path.join(dir, 'lieu.lock'), 'utf8')).pid).toBe(process.pid);
		release();
		expect(fs.existsSync(path.join(dir, 'lieu.lock'))).toBe(false);
	});

	it('a second server on the same folder stops with a clear message', async () => {
		if (dbKind !== 'pglite') return expect(dbKind).toBe('postgres');
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lieu-lock-'));
		cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
		const release = lockDataDir(dir, 'server');
		cleanups.push(async () => release());
		const db = openDatabase({ dataDir: dir, holder: 'cli' });
		await expect(db).rejects.toMatchObject({ code: 'data_dir_locked' });
	});
});
