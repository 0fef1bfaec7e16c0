// Global setup of the database suites: builds one migrated template database, copied for each test file
// (copying is much faster than migrating). PGlite: a dumped data folder; PostgreSQL: a template database.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/lib/server/db/client';
import { migrateDatabase } from '../../src/lib/server/db/migrate';

/**
 * This run's name part: each run has its own template and copies, so two runs on one server (two terminals, CI and a
 * bench) never drop each other's databases. What a run that is gone left behind is dropped by the next one.
 */
const RUN = process.pid.toString(36);
export const TEMPLATE_DB = `lieu_test_template_${RUN}`;

/** Whether a test database belongs to a run still alive on this machine (older names without a run are not). */
function ownedByLiveRun(dbName: string): boolean {
	const m = /^lieu_(?:t|test_template)_([0-9a-z]+)_?/.exec(dbName);
	const pid = m ? parseInt(m[1], 36) : NaN;
	if (!Number.isSafeInteger(pid) || pid <= 0) return false;
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return (e as NodeJS.ErrnoException).code === 'EPERM';
	}
}

export function adminUrl(url: string, dbName: string) {
	const u = new URL(url);
	u.pathname = `/${dbName}`;
	return u.toString();
}

export async function setupTemplate(project: TestProject, kind: 'pglite' | 'postgres') {
	// why: tests that make PostgreSQL databases of their own name them after the run too (testDatabaseName).
	project.provide('pgRun', RUN);
	if (kind === 'postgres') {
		const url = process.env.TEST_DATABASE_URL;
		if (!url) throw new Error('db-postgres suite needs TEST_DATABASE_URL');
		const pg = (await import('pg')).default;
		const admin = new pg.Client({ connectionString: url });
		await admin.connect();
		// why: several vitest workers ask for copies of this template; build it once per run.
		await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [TEMPLATE_DB]);
		await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB}`);
		await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
		const database = await openDatabase({ url: adminUrl(url, TEMPLATE_DB), poolSize: 2 });
		await migrateDatabase(database);
		await database.close();
		// Drop what earlier runs that are gone left behind (a crashed run's copies and template).
		const old = await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE 'lieu\\_t\\_%' OR datname LIKE 'lieu\\_test\\_template%'`);
		for (const r of old.rows as Array<{ datname: string }>) if (!ownedByLiveRun(r.datname)) await admin.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`).catch(() => {});
		await admin.end();
		project.provide('pgTemplate', TEMPLATE_DB);
		return async () => {
			const a = new pg.Client({ connectionString: url });
			await a.connect();
			await a.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`).catch(() => {});
			await a.end();
		};
	}
	const database = await openDatabase({ memory: true });
	await migrateDatabase(database);
	const dump = await database.pglite!.dumpDataDir('none');
	const file = path.join(os.tmpdir(), `lieu-test-template-${process.pid}.tar`);
	fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
	await database.close();
	project.provide('pgliteTemplate', file);
	return () => fs.rmSync(file, { force: true });
}

declare module 'vitest' {
	export interface ProvidedContext {
		pgliteTemplate: string;
		pgTemplate: string;
		pgRun: string;
	}
}
