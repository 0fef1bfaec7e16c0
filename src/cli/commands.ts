// The commands of `lieu`: thin adapters over the module commands (which validate and write the audit entries).
import fs from 'node:fs';
import path from 'node:path';
import { env } from '../lib/server/env';
import { openDatabase, type Database, type DbOrTx } from '../lib/server/db/client';
import { AppError, isAppError } from '../lib/server/errors';
import { CliExit, UsageError, type Context, type Values } from './index';
import type { CommandSpec } from './spec';

// why: module code (zod schemas, password dictionary, better-auth crypto) loads only for the command that
// needs it, so a refusal (locked folder) or a backup starts fast.
const places = () => import('../lib/modules/places/commands.server');
const placeQueries = () => import('../lib/modules/places/queries.server');
const users = () => import('../lib/modules/people/users.server');
const backups = () => import('../lib/server/db/backup');

/** Opens the server's database (DATABASE_URL, else the PGlite folder) and brings it up to date. */
async function openCliDatabase(ctx: Context): Promise<Database> {
	const e = env();
	let database: Database;
	try {
		database = await openDatabase({ url: e.DATABASE_URL, dataDir: e.dataDir, holder: 'cli' });
	} catch (err) {
		if (isAppError(err) && err.code === 'data_dir_locked') throw new CliExit(ctx.t('err.locked', { dir: e.dataDir }));
		throw err;
	}
	try {
		const { migrateDatabase } = await import('../lib/server/db/migrate');
		await migrateDatabase(database);
	} catch (err) {
		await database.close().catch(() => {});
		throw err;
	}
	return database;
}

const str = (v: string | boolean | undefined) => (typeof v === 'string' ? v : undefined);

async function parseEmail(raw: unknown): Promise<string> {
	const { z } = await import('zod');
	const { parseInput } = await import('../lib/server/validation');
	return parseInput(z.object({ email: z.string().trim().toLowerCase().email('field.email') }), { email: raw }).email;
}

async function parseName(raw: unknown): Promise<string | undefined> {
	const { z } = await import('zod');
	const { parseInput } = await import('../lib/server/validation');
	return parseInput(z.object({ name: z.string().trim().max(120, 'field.too_long').optional() }), { name: raw }).name;
}

async function requirePlace(ctx: Context, db: DbOrTx, slug: string) {
	const { getPlaceBySlug } = await placeQueries();
	const p = await getPlaceBySlug(db, slug.trim().toLowerCase());
	if (!p) throw new CliExit(ctx.t('err.place_not_found', { slug }));
	return p;
}

async function requireUser(ctx: Context, db: DbOrTx, email: string) {
	const { findUserByEmail } = await users();
	const u = await findUserByEmail(db, email);
	if (!u || u.deletedAt) throw new CliExit(ctx.t('err.user_not_found', { email }));
	return u;
}

async function requireRole(ctx: Context, db: DbOrTx, placeId: string, slug: string, roleKey: string) {
	const { roleByKey } = await places();
	try {
		return await roleByKey(db, placeId, roleKey.trim().toLowerCase());
	} catch (e) {
		if (isAppError(e) && e.code === 'not_found') throw new CliExit(ctx.t('err.role_not_found', { slug, role: roleKey }));
		throw e;
	}
}

function humanSize(bytes: number) {
	if (bytes < 1024) return `${bytes} B`;
	if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
	return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

type Handler = (ctx: Context, database: Database, v: Values) => Promise<number>;

const handlers: Record<string, Handler> = {
	async 'place create'(ctx, { db }, v) {
		const { createPlace } = await places();
		const p = await db.transaction((tx) => createPlace(tx, { slug: v.slug, name: v.name, timezone: str(v.timezone), address: str(v.address) }, null));
		ctx.out(ctx.t('ok.place_created', { slug: p.slug, id: p.id }));
		return 0;
	},

	async 'user create'(ctx, { db }, v) {
		const email = await parseEmail(v.email);
		const name = await parseName(str(v.name));
		const { createUserRecord } = await users();
		const { addMember } = await places();
		const u = await db.transaction(async (tx) => {
			let u;
			try {
				u = await createUserRecord(tx, { email, password: String(v.password), name, isOperator: v.operator === true });
			} catch (e) {
				if (isAppError(e) && e.code === 'email_taken') throw new CliExit(ctx.t('err.email_taken', { email }));
				throw e;
			}
			if (v.place) {
				const p = await requirePlace(ctx, tx, String(v.place));
				const roleKey = str(v.role) ?? 'member';
				await requireRole(ctx, tx, p.id, p.slug, roleKey);
				await addMember(tx, p.id, u.id, roleKey.trim().toLowerCase(), null);
				return { ...u, member: { slug: p.slug, role: roleKey.trim().toLowerCase() } };
			}
			return { ...u, member: undefined };
		});
		ctx.out(ctx.t('ok.user_created', { email: u.email, id: u.id }));
		if (u.member) ctx.out(ctx.t('ok.member_added', { email: u.email, role: u.member.role, slug: u.member.slug }));
		return 0;
	},

	async 'member add'(ctx, { db }, v) {
		const email = await parseEmail(v.email);
		const { addMember } = await places();
		const roleKey = (str(v.role) ?? 'member').trim().toLowerCase();
		const slug = await db.transaction(async (tx) => {
			const u = await requireUser(ctx, tx, email);
			const p = await requirePlace(ctx, tx, String(v.place));
			await requireRole(ctx, tx, p.id, p.slug, roleKey);
			await addMember(tx, p.id, u.id, roleKey, null);
			return p.slug;
		});
		ctx.out(ctx.t('ok.member_added', { email, role: roleKey, slug }));
		return 0;
	},

	async 'token create'(ctx, { db }, v) {
		const email = await parseEmail(v.email);
		const { createApiToken } = await import('../lib/modules/people/tokens.server');
		const u = await requireUser(ctx, db, email);
		const { token, name } = await createApiToken(db, u.id, { name: str(v.name) ?? 'CLI' });
		ctx.out(ctx.t('ok.token_created', { name, email: u.email }));
		// why: the token alone on the last line, so scripts can take it with `tail -n 1`.
		ctx.out(token);
		return 0;
	},

	async demo(ctx, { db }) {
		const { loadDemo, DEMO_SLUG } = await import('../lib/modules/places/demo.server');
		const r = await loadDemo(db);
		const urlPath = `/${DEMO_SLUG}`;
		ctx.out(ctx.t(r.created ? 'ok.demo_created' : 'ok.demo_exists', { path: urlPath, url: env().baseUrl + urlPath }));
		ctx.out();
		ctx.out(ctx.t('ok.demo_logins'));
		const head = [ctx.t('ok.col_email'), ctx.t('ok.col_role'), ctx.t('ok.col_password')];
		const rows = r.logins.map((l) => [l.email, l.role, l.password]);
		const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
		const line = (cells: string[]) => cells.map((c, i) => (i < cells.length - 1 ? c.padEnd(widths[i]) : c)).join('  ');
		ctx.out(line(head));
		ctx.out(line(widths.map((w) => '-'.repeat(w))));
		for (const row of rows) ctx.out(line(row));
		return 0;
	},

	async backup(ctx, database, v) {
		const { createBackup, writeBackupFile } = await backups();
		const file = path.resolve(String(v.out));
		const doc = await createBackup(database);
		await writeBackupFile(doc, file);
		const tables = Object.keys(doc.tables).length;
		const rows = Object.values(doc.tables).reduce((n, t) => n + t.rows.length, 0);
		ctx.out(ctx.t('ok.backup_written', { file, tables, rows, size: humanSize(fs.statSync(file).size) }));
		return 0;
	},

	async restore(ctx, database, v) {
		const { readBackupFile, restoreBackup, isDatabaseEmpty, checkMigrations } = await backups();
		const file = path.resolve(String(v.in));
		if (!fs.existsSync(file)) throw new CliExit(ctx.t('err.file_not_found', { file }));
		const doc = readBackupFile(file);
		checkMigrations(doc);
		if (v.yes !== true && !(await isDatabaseEmpty(database))) throw new CliExit(ctx.t('restore.not_empty'), 2);
		const r = await restoreBackup(database, doc);
		ctx.out(ctx.t('ok.restored', { date: doc.createdAt, tables: r.tables, rows: r.rows }));
		return 0;
	}
};

/** `ledger verify`: exit 0 when the till journal and the closure chains are intact, 1 naming the first broken entry. */
handlers['ledger verify'] = async (ctx, { db }, v) => {
	const p = await requirePlace(ctx, db, String(v.place));
	const { verifyLedger } = await import('../lib/modules/money/ledger.server');
	const { verifyClosures } = await import('../lib/modules/money/closures.server');
	const r = await verifyLedger(db, p.id);
	const c = await verifyClosures(db, p.id);
	const broken: string[] = [];
	if (r.ok) ctx.out(ctx.t('ok.ledger_intact', { count: r.checked, chains: r.chains }));
	else {
		const b = r.firstBroken!;
		broken.push(ctx.t('err.ledger_broken', { number: b.number, series: b.series, training: b.training ? ctx.t('ledger.training') : '', reason: ctx.t(`ledger.${b.reason}`), count: r.checked }));
	}
	if (c.ok) ctx.out(ctx.t('ok.closures_intact', { days: c.checked.day, months: c.checked.month, years: c.checked.year }));
	else {
		const b = c.firstBroken!;
		broken.push(ctx.t('err.closures_broken', { kind: ctx.t(`closure.${b.kind}`), number: b.number, reason: ctx.t(`closure.${b.reason}`), count: c.checked[b.kind] }));
	}
	if (broken.length) throw new CliExit(broken.join('\n'));
	return 0;
};

/** `ledger export`: the archive (.zip) of one closure, by number (and kind) or by period. */
handlers['ledger export'] = async (ctx, { db }, v) => {
	const closureOpt = str(v.closure)?.trim();
	const period = str(v.period)?.trim();
	if ((closureOpt === undefined) === (period === undefined)) throw new UsageError(ctx.t('err.export_which'));
	const kindOpt = str(v.kind)?.trim().toLowerCase();
	if (kindOpt !== undefined && !['day', 'month', 'year'].includes(kindOpt)) throw new UsageError(ctx.t('err.closure_kind'));
	const kind = (kindOpt ?? 'day') as 'day' | 'month' | 'year';
	let number: number | undefined;
	if (closureOpt !== undefined) {
		if (!/^[1-9]\d{0,8}$/.test(closureOpt)) throw new UsageError(ctx.t('err.closure_number'));
		number = Number(closureOpt);
	} else if (!/^\d{4}(-(0[1-9]|1[0-2]))?$/.test(period!)) throw new UsageError(ctx.t('err.period'));
	const p = await requirePlace(ctx, db, String(v.place));
	const { findClosure, archiveOfClosure } = await import('../lib/modules/money/archive.server');
	const c = await findClosure(db, p.id, number !== undefined ? { number, kind } : { period });
	if (!c) throw new CliExit(ctx.t('err.closure_not_found', { slug: p.slug, what: number !== undefined ? `${ctx.t(`closure.${kind}`)} ${number}` : period! }));
	const { zip, manifest } = await archiveOfClosure(db, c);
	const file = path.resolve(String(v.out));
	fs.writeFileSync(file, zip);
	ctx.out(ctx.t('ok.archive_written', { file, kind: ctx.t(`closure.${c.kind}`), number: c.number, from: c.periodStart, to: c.periodEnd, count: manifest.receipts.count, size: humanSize(zip.length) }));
	return 0;
};

/** `jobs run`: one pass of the background jobs (for cron when the server's timer is off); exit 1 if one failed. */
handlers['jobs run'] = async (ctx, { db }) => {
	const { runJobsOnce } = await import('../lib/server/jobs');
	const results = await runJobsOnce(db);
	for (const r of results) ctx.out(r.error ? ctx.t('err.job_failed', { job: r.name, error: r.error }) : ctx.t('ok.job_done', { job: r.name, count: r.count }));
	return results.some((r) => r.error) ? 1 : 0;
};

/** Runs one parsed command against the database; closes it whatever happens. */
export async function run(ctx: Context, command: CommandSpec, values: Values): Promise<number> {
	const key = command.words.join(' ');
	const handler = handlers[key];
	if (!handler) throw new AppError('internal', { detail: `no handler for ${key}` });
	if (key === 'user create' && values.role !== undefined && values.place === undefined) throw new UsageError(ctx.t('err.role_without_place'), command);
	const database = await openCliDatabase(ctx);
	try {
		return await handler(ctx, database, values);
	} finally {
		await database.close().catch(() => {});
	}
}
