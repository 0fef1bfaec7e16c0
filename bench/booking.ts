// The machine space's benchmark (`npm run bench:booking`): figures taken in ONE run, as ratios.
//
//   1. Bookings per second through the HTTP API (POST /places/{slug}/bookings over a real socket: token check,
//      place and membership, advisory lock, rules and calendar reads, booking + slot rows, audit) as a RATIO of
//      raw constrained inserts (one transaction = one booking row + its booking_slot row, under the same
//      exclusion constraint and triggers, no checks) — sequential, and with CONCURRENCY clients (a machine each).
//      The client is node:http with keep-alive (bench/http-client.ts), the lightest Node has: it shares this process.
//      On PostgreSQL, also the same statements an API booking sends, recorded and replayed without the app
//      (sameStatements): the database's own share of a booking.
//   2. The availability of one machine for one week (GET …/availability, the page's week grid reads the same)
//      when the place holds one month of bookings on 10 machines, then a full year: the ratio year ÷ month
//      shows the week does not slow down with history (the query uses the exclusion constraint's GiST index).
//
// Database: BENCH_DATABASE_URL (or TEST_DATABASE_URL) = a PostgreSQL server where a throwaway database is
// created and dropped; otherwise PGlite in a temp folder. Options: --bookings=600 --concurrency=8
// --reads=200 --engine=pglite|postgres --no-record.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execSync } from 'node:child_process';
import { sql } from 'drizzle-orm';
import { openFresh as openFreshDb } from './fresh-db';
import { closeClient, request } from './http-client';
import { migrateDatabase } from '../src/lib/server/db/migrate';
import { bootApp, setApp } from '../src/lib/server/app';
import { openingRule, resource } from '../src/lib/server/db/schema';
import { newId } from '../src/lib/server/ids';
import { createPlace, addMember } from '../src/lib/modules/places/commands.server';
import { createUserRecord } from '../src/lib/modules/people/users.server';
import { createApiToken } from '../src/lib/modules/people/tokens.server';
import { addDays, wallClock } from '../src/lib/modules/places/time';
import { localMinuteToUtc } from '../src/lib/modules/booking/rules';
import { startApiServer } from '../tests/helpers/api-server';
import { resolvePlace } from '../src/lib/server/place-context';
import { createBooking } from '../src/lib/modules/booking/commands.server';
import * as bookingsRoute from '../src/routes/api/v1/places/[slug]/bookings/+server';
import * as availabilityRoute from '../src/routes/api/v1/places/[slug]/resources/[id]/availability/+server';

const args = Object.fromEntries(
	process.argv.slice(2).map((a) => {
		const [k, v] = a.replace(/^--/, '').split('=');
		return [k, v ?? 'true'];
	})
);
const pgUrl = args.engine === 'pglite' ? undefined : (process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL);
const engine = pgUrl ? 'postgres' : 'pglite';
const BOOKINGS = Number(args.bookings ?? 600);
const CONCURRENCY = Number(args.concurrency ?? 8);
const READS = Number(args.reads ?? 200);
const RECORD = args['no-record'] !== 'true';
const TZ = 'Europe/Paris';
const root = path.resolve(import.meta.dirname, '..');
const log = (s: string) => process.stdout.write(s + '\n');
const secs = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

const openFresh = () => openFreshDb(pgUrl, { poolSize: CONCURRENCY + 4, label: 'booking' });

/** Runs `n` jobs with `width` at a time; returns jobs per second. */
async function pool(n: number, width: number, job: (i: number) => Promise<unknown>): Promise<number> {
	let next = 0;
	const t0 = process.hrtime.bigint();
	await Promise.all(
		Array.from({ length: width }, async () => {
			for (let i = next++; i < n; i = next++) await job(i);
		})
	);
	return n / secs(t0);
}

type Sent = { text: string; name?: string; values: unknown[] };

/**
 * Records the statements each call of `book` sends through node-postgres (a booking through the API, here): texts,
 * statement names and values, in order. Returns them with the id of the booking each call made.
 */
async function recordStatements(n: number, book: (i: number) => Promise<string>): Promise<Array<{ id: string; sent: Sent[] }>> {
	const pg = (await import('pg')).default;
	let sink: Sent[] | null = null;
	const proto = pg.Client.prototype as unknown as { query: (...a: unknown[]) => unknown };
	const original = proto.query;
	proto.query = function (this: unknown, q: unknown, ...rest: unknown[]) {
		if (sink) {
			const c = typeof q === 'string' ? { text: q } : (q as { text: string; name?: string; values?: unknown[] });
			const values = Array.isArray(rest[0]) ? rest[0] : (c.values ?? []);
			sink.push({ text: c.text, name: c.name, values: [...values] });
		}
		return original.call(this, q, ...rest);
	};
	const recorded: Array<{ id: string; sent: Sent[] }> = [];
	try {
		for (let i = 0; i < n; i++) {
			const sent: Sent[] = [];
			sink = sent;
			const id = await book(i);
			sink = null;
			recorded.push({ id, sent });
		}
	} finally {
		sink = null;
		proto.query = original;
	}
	return recorded;
}

/**
 * The recorded bookings made ready to replay on machine `to` instead of `from`, each with a new booking id in place of
 * its recorded one (the slot times stay: the machine differs): same texts, names and values otherwise.
 */
function forReplay(recorded: Array<{ id: string; sent: Sent[] }>, from: string, to: string): Sent[][] {
	return recorded.map(({ id, sent }) => {
		const fresh = newId();
		const swap = (v: unknown) => (typeof v === 'string' ? v.replaceAll(from, to).replaceAll(id, fresh) : v);
		return sent.map((q) => ({ text: q.text, name: q.name, values: q.values.map(swap) }));
	});
}

const { database, drop } = await openFresh();
try {
	await migrateDatabase(database);
	setApp(await bootApp(database));
	const db = database.db;
	const ids: Record<string, string> = {};
	const machines: string[] = [];
	const yearMachines: string[] = [];
	await db.transaction(async (tx) => {
		const p = await createPlace(tx, { name: 'Bench', slug: 'bench' }, null);
		ids.place = p.id;
		const u = await createUserRecord(tx, { email: 'maker@bench.test', name: 'Maker', password: 'une phrase assez longue 42' });
		ids.user = u.id;
		await addMember(tx, p.id, u.id, 'member', null);
		// Open around the clock, 30-minute steps, two years ahead: every slot below is valid.
		await tx.insert(openingRule).values([1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ id: newId(), placeId: p.id, resourceId: null, weekday, opensMin: 0, closesMin: 1440 })));
		for (let i = 0; i < 12 + 2 * CONCURRENCY; i++) {
			const id = newId();
			machines.push(id);
			await tx.insert(resource).values({ id, placeId: p.id, kind: 'machine', name: `Machine ${i + 1}`, slug: `machine-${i + 1}`, bookable: true, maxAdvanceDays: 730, maxMinutes: 240 });
		}
	});
	const token = (await createApiToken(db, ids.user, { name: 'bench' })).token;
	const server = await startApiServer({ '/places/{slug}/bookings': bookingsRoute, '/places/{slug}/resources/{id}/availability': availabilityRoute });
	const today = wallClock(new Date(), TZ).date;
	// Slot i of a machine: day 1 + i ÷ 40, from 01:00 + 30 min × (i mod 40) (inside every day, DST-safe hours).
	const slot = (i: number) => {
		const date = addDays(today, 1 + Math.floor(i / 40));
		const m = 60 + 30 * (i % 40);
		return { start: localMinuteToUtc(date, m, TZ), end: localMinuteToUtc(date, m + 30, TZ) };
	};
	const post = async (resourceId: string, i: number): Promise<string> => {
		const s = slot(i);
		const r = await request(`${server.url}/places/bench/bookings`, {
			method: 'POST',
			headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
			body: JSON.stringify({ resourceId, startsAt: s.start.toISOString(), endsAt: s.end.toISOString() })
		});
		if (r.status !== 201) throw new Error(`POST /bookings: ${r.status} ${r.text}`);
		return (JSON.parse(r.text) as { id: string }).id;
	};
	const raw = async (resourceId: string, i: number) => {
		const s = slot(i);
		const id = newId();
		await db.transaction(async (tx) => {
			await tx.execute(sql`INSERT INTO booking (id, place_id, resource_id, kind, user_id, status, starts_at, ends_at) VALUES (${id}, ${ids.place}, ${resourceId}, 'booking', ${ids.user}, 'confirmed', ${s.start.toISOString()}, ${s.end.toISOString()})`);
			await tx.execute(sql`INSERT INTO booking_slot (booking_id, place_id, resource_id, starts_at, ends_at) VALUES (${id}, ${ids.place}, ${resourceId}, ${s.start.toISOString()}, ${s.end.toISOString()})`);
		});
	};
	const load0 = os.loadavg()[0];
	log(`Booking bench on ${engine}: ${BOOKINGS} bookings, ${CONCURRENCY} concurrent clients, ${READS} availability reads`);
	// The same command without HTTP, token or JSON (to tell the engine's cost from the API's).
	const { scope } = await resolvePlace(db, 'bench', { id: ids.user, isOperator: false });
	const command = (resourceId: string, i: number) => createBooking(db, scope, { resourceId, startsAt: slot(i).start.toISOString(), endsAt: slot(i).end.toISOString() });
	// Warm-up (the JIT compiles the hot code after some hundreds of calls): as many API bookings as measured ones, whose
	// statements are recorded for the replay (PostgreSQL only), then raw inserts and in-process bookings.
	const recorded = engine === 'postgres' ? await recordStatements(BOOKINGS, (i) => post(machines[10], i)) : null;
	if (!recorded) for (let i = 0; i < BOOKINGS; i++) await post(machines[10], i);
	for (let i = 0; i < 300; i++) await raw(machines[11], i);
	for (let i = 0; i < 300; i++) await command(machines[8], i);
	const replays = recorded ? forReplay(recorded, machines[10], machines[6]) : null;
	const replayClient = recorded ? new (await import('pg')).default.Client({ connectionString: (database as { url?: string }).url }) : null;
	await replayClient?.connect();
	// Sequential, in rounds alternating the four so a drift of the machine hits each alike: API on machine 0, raw
	// inserts on machine 2 (same table, same constraint), the command in-process on machine 5, the replay on machine 6.
	const SEQ_ROUNDS = 4;
	const seq = { api: 0, raw: 0, cmd: 0, same: 0 };
	const span = async (from: number, to: number, job: (i: number) => Promise<unknown>) => {
		const t0 = process.hrtime.bigint();
		for (let i = from; i < to; i++) await job(i);
		return secs(t0);
	};
	for (let r = 0; r < SEQ_ROUNDS; r++) {
		const [a, b] = [Math.floor((r * BOOKINGS) / SEQ_ROUNDS), Math.floor(((r + 1) * BOOKINGS) / SEQ_ROUNDS)];
		seq.api += await span(a, b, (i) => post(machines[0], i));
		seq.raw += await span(a, b, (i) => raw(machines[2], i));
		seq.cmd += await span(a, b, (i) => command(machines[5], i));
		if (replays) seq.same += await span(a, b, async (i) => {
			for (const q of replays[i]) await replayClient!.query(q);
		});
	}
	await replayClient?.end();
	const [apiSeq, rawSeq, cmdSeq] = [BOOKINGS / seq.api, BOOKINGS / seq.raw, BOOKINGS / seq.cmd];
	const same = replays ? { perSecond: BOOKINGS / seq.same, statements: replays.map((j) => j.length).sort((x, y) => x - y)[Math.floor(BOOKINGS / 2)] } : null;
	if (replays && process.env.BENCH_DEBUG) for (const q of replays[BOOKINGS - 1]) log('    ' + q.text.replace(/\s+/g, ' ').slice(0, 90));
	// Concurrent clients each book their own machine, as people at a place book different machines: bookings of ONE
	// machine queue on its lock by design (that race is proved in booking-api.db.test.ts). Raw inserts likewise.
	const apiPar = await pool(BOOKINGS, CONCURRENCY, (i) => post(machines[12 + (i % CONCURRENCY)], Math.floor(i / CONCURRENCY)));
	const rawPar = await pool(BOOKINGS, CONCURRENCY, (i) => raw(machines[12 + CONCURRENCY + (i % CONCURRENCY)], Math.floor(i / CONCURRENCY)));
	log(`  API ${apiSeq.toFixed(0)}/s vs raw ${rawSeq.toFixed(0)}/s sequential; ${apiPar.toFixed(0)}/s vs ${rawPar.toFixed(0)}/s with ${CONCURRENCY}`);
	if (same) log(`  the same statements without the app: ${same.perSecond.toFixed(0)}/s (${same.statements} statements a booking)`);

	// Availability: two places of the same database, 10 machines each with 8 bookings a day (09:00–17:00, 1 h):
	// "bench" holds one month of them, "annee" a full year. Reads of one machine's week alternate between the two
	// in rounds, so both see the same machine load (the machine is shared with other work).
	await db.transaction(async (tx) => {
		const p = await createPlace(tx, { name: 'Année', slug: 'annee' }, null);
		ids.year = p.id;
		await tx.insert(openingRule).values([1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ id: newId(), placeId: p.id, resourceId: null, weekday, opensMin: 0, closesMin: 1440 })));
		for (let i = 0; i < 10; i++) {
			const id = newId();
			yearMachines.push(id);
			await tx.insert(resource).values({ id, placeId: p.id, kind: 'machine', name: `Machine ${i + 1}`, slug: `machine-${i + 1}`, bookable: true, maxAdvanceDays: 730 });
		}
	});
	const fill = async (placeId: string, list: string[], days: number) => {
		const t0 = process.hrtime.bigint();
		const first = localMinuteToUtc(addDays(today, 400), 9 * 60, TZ).toISOString();
		for (const m of list) {
			await db.execute(sql`WITH s AS (
				SELECT md5(random()::text || clock_timestamp()::text) AS id, ${first}::timestamptz + (d || ' days')::interval + (h || ' hours')::interval AS st
				FROM generate_series(0, ${days - 1}) d, generate_series(0, 7) h
			), b AS (
				INSERT INTO booking (id, place_id, resource_id, kind, user_id, status, starts_at, ends_at)
				SELECT id, ${placeId}, ${m}, 'booking', NULL, 'confirmed', st, st + interval '1 hour' FROM s RETURNING id, starts_at, ends_at
			)
			INSERT INTO booking_slot (booking_id, place_id, resource_id, starts_at, ends_at) SELECT id, ${placeId}, ${m}, starts_at, ends_at FROM b`);
		}
		return secs(t0);
	};
	const fillMonth = await fill(ids.place, machines.slice(0, 10), 31);
	const fillYear = await fill(ids.year, yearMachines, 365);
	if (engine === 'postgres') await db.execute(sql`VACUUM ANALYZE booking_slot`);
	// The week read: days 410–417 (inside the first month, so both places have the same week).
	const weekFrom = localMinuteToUtc(addDays(today, 410), 0, TZ).toISOString();
	const weekTo = localMinuteToUtc(addDays(today, 417), 0, TZ).toISOString();
	const read = async (slug: string, machine: string) => {
		const r = await request(`${server.url}/places/${slug}/resources/${machine}/availability?from=${encodeURIComponent(weekFrom)}&to=${encodeURIComponent(weekTo)}`);
		if (r.status !== 200) throw new Error(`availability: ${r.status}`);
		const body = JSON.parse(r.text) as { busy: unknown[] };
		if (body.busy.length !== 7) throw new Error(`availability: expected 7 busy days, got ${body.busy.length}`);
	};
	const timed = async (n: number, job: () => Promise<void>) => {
		const t0 = process.hrtime.bigint();
		for (let i = 0; i < n; i++) await job();
		return secs(t0);
	};
	// why: on PGlite the fill blocks the event loop (the database runs in this thread), so the client's and the server's
	// keep-alive timers expire together and the first request may meet a socket the server is closing: retry it once.
	await read('bench', machines[4]).catch(() => read('bench', machines[4]));
	await timed(20, () => read('bench', machines[4]));
	await timed(20, () => read('annee', yearMachines[4]));
	let monthS = 0;
	let yearS = 0;
	const ROUNDS = 10;
	for (let round = 0; round < ROUNDS; round++) {
		monthS += await timed(Math.ceil(READS / ROUNDS), () => read('bench', machines[4]));
		yearS += await timed(Math.ceil(READS / ROUNDS), () => read('annee', yearMachines[4]));
	}
	const reads = Math.ceil(READS / ROUNDS) * ROUNDS;
	const monthRps = reads / monthS;
	const yearRps = reads / yearS;
	const slotsOf = async (placeId: string) => ((await db.execute(sql`SELECT count(*)::int AS n FROM booking_slot WHERE place_id = ${placeId}`)).rows as Array<{ n: number }>)[0].n;
	const [nMonth, nYear] = [await slotsOf(ids.place), await slotsOf(ids.year)];
	log(`  week availability: ${monthRps.toFixed(0)}/s with a month, ${yearRps.toFixed(0)}/s with a year`);
	closeClient();
	await server.close();
	const load1 = os.loadavg()[0];

	let commit = 'unknown';
	try {
		commit = execSync('git rev-parse --short HEAD', { cwd: root }).toString().trim();
		if (execSync('git status --porcelain', { cwd: root }).toString().trim()) commit += ' + uncommitted changes';
	} catch {
		/* not a git checkout */
	}
	const cpus = os.cpus();
	const section = [
		`## ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC — booking — commit ${commit}`,
		'',
		`- Machine: ${cpus.length} CPUs (${cpus[0]?.model.split(' ')[0] ?? '?'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
		`- Database: ${engine === 'postgres' ? 'PostgreSQL (throwaway database on the given server)' : 'PGlite (embedded, temp folder)'}; load average before / after: ${load0.toFixed(1)} / ${load1.toFixed(1)}`,
		`- Command: \`npm run bench:booking -- --bookings=${BOOKINGS} --concurrency=${CONCURRENCY} --reads=${READS}\``,
		'',
		`### Bookings through the HTTP API vs raw constrained inserts (${BOOKINGS} bookings each)`,
		'',
		'| Clients | API bookings/s (POST /bookings over HTTP) | Raw inserts/s (booking + booking_slot) | **Ratio** (API ÷ raw) |',
		'|---|---:|---:|---:|',
		`| sequential (1 client) | ${apiSeq.toFixed(0)} | ${rawSeq.toFixed(0)} | **${(apiSeq / rawSeq).toFixed(2)}** |`,
		`| ${CONCURRENCY} concurrent clients (a machine each) | ${apiPar.toFixed(0)} | ${rawPar.toFixed(0)} | **${(apiPar / rawPar).toFixed(2)}** |`,
		'',
		`Without HTTP (createBooking called in-process, sequential, in the same rounds): ${cmdSeq.toFixed(0)}/s, **${(cmdSeq / rawSeq).toFixed(2)}** of raw inserts — the rest of the gap is the request itself (token check, place and membership, JSON, the HTTP round trip with client and server in one process).`,
		'',
		same
			? `The database's share: the very statements an API booking sends (token check, begin, locks, context read, the write with its mail and audit rows, commit; ${same.statements} a booking), replayed without the app on one connection as named prepared statements with their values ready: ${same.perSecond.toFixed(0)}/s sequential (in the same rounds). **API ÷ the same statements: ${(apiSeq / same.perSecond).toFixed(2)}**; the same statements ÷ raw inserts: ${(same.perSecond / rawSeq).toFixed(2)}.`
			: 'The replay of the same statements without the app is measured on PostgreSQL only (it listens to node-postgres).',
		'',
		`### One week of availability of one machine as history grows (10 machines, 8 bookings a day each; ${reads} reads each, alternating in ${ROUNDS} rounds)`,
		'',
		'| History | Slots of the place | Week reads/s (GET …/availability) | ms per read | (filling, s) |',
		'|---|---:|---:|---:|---:|',
		`| one month (place "bench") | ${nMonth.toLocaleString('en')} | ${monthRps.toFixed(0)} | ${(1000 / monthRps).toFixed(2)} | ${fillMonth.toFixed(1)} |`,
		`| one year (place "annee") | ${nYear.toLocaleString('en')} | ${yearRps.toFixed(0)} | ${(1000 / yearRps).toFixed(2)} | ${fillYear.toFixed(1)} |`,
		'',
		`**Year ÷ month time per read: ${(monthRps / yearRps).toFixed(2)}×** (goal ≤ 1.5×).`
	].join('\n');
	log('\n' + section);
	if (RECORD) fs.appendFileSync(path.join(root, 'bench/RESULTS.md'), '\n' + section + '\n');
} finally {
	await drop();
}
