// The outbox under concurrent flushes (the mail job and the flushes kicked after commands run at the same time):
// each mail goes out exactly once through a real SMTP capture; a mail claimed by a flush that died is sent again
// after the claim lapses, one claimed just now is left to its flush. Both engines.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, inArray, sql } from 'drizzle-orm';
import { freshDatabase } from '../../../../tests/helpers/db';
import { freePort, startSmtpCapture } from '../../../../tests/helpers/smtp';
import type { Database } from '../db/client';
import { auditLog, mailOutbox } from '../db/schema';
import { resetEnvForTests } from '../env';
import { MAIL_RETRY_MINUTES, flushOutbox, kickOutbox, queueMail, resetMailTransport } from './index';
import { machineSpace } from '../../../../tests/helpers/booking';
import { resolvePlace } from '../place-context';
import { resendMail } from '../../modules/people/admin.server';
import type { AppError } from '../errors';

let database: Database;
let smtp: Awaited<ReturnType<typeof startSmtpCapture>>;
const saved = process.env.SMTP_URL;

beforeAll(async () => {
	[database, smtp] = await Promise.all([freshDatabase(), startSmtpCapture()]);
	process.env.SMTP_URL = `smtp://127.0.0.1:${smtp.port}`;
	resetEnvForTests();
	resetMailTransport();
});
afterAll(async () => {
	if (saved === undefined) delete process.env.SMTP_URL;
	else process.env.SMTP_URL = saved;
	resetEnvForTests();
	resetMailTransport();
	await smtp?.close();
	await database?.close();
});

const queue = (to: string) => queueMail(database.db, { to, locale: 'fr', template: 'till.mail.receipt', params: { number: 'T-1', date: '27/11/2026', total: '3,00 €' } });
const statuses = async (ids: number[]) => (await database.db.select({ status: mailOutbox.status }).from(mailOutbox).where(inArray(mailOutbox.id, ids))).map((r) => r.status);
const received = (prefix: string) => smtp.mails.filter((m) => m.to.startsWith(prefix)).map((m) => m.to).sort();

describe('mail outbox', () => {
	it('six flushes at once send each of 30 mails exactly once', async () => {
		const to = Array.from({ length: 30 }, (_, i) => `race-${String(i).padStart(2, '0')}@example.org`);
		const ids = await Promise.all(to.map(queue));
		const counts = await Promise.all(Array.from({ length: 6 }, () => flushOutbox(database.db)));
		expect(counts.reduce((a, b) => a + b, 0)).toBe(30);
		await smtp.waitFor('race-29@example.org');
		expect(received('race-')).toEqual(to);
		expect(new Set(await statuses(ids))).toEqual(new Set(['sent']));
	});

	it('a mail claimed by a flush that died is sent once its claim lapses; a fresh claim is left alone', async () => {
		const stale = await queue('stale@example.org');
		const fresh = await queue('fresh@example.org');
		await database.db.update(mailOutbox).set({ status: 'sending', claimedAt: sql`now() - interval '11 minutes'` }).where(eq(mailOutbox.id, stale));
		await database.db.update(mailOutbox).set({ status: 'sending', claimedAt: sql`now()` }).where(eq(mailOutbox.id, fresh));
		expect(await flushOutbox(database.db)).toBe(1);
		await smtp.waitFor('stale@example.org');
		expect(await statuses([stale])).toEqual(['sent']);
		expect(await statuses([fresh])).toEqual(['sending']);
		expect(received('fresh@')).toEqual([]);
	});

	it('kickOutbox sends what a command just queued without being awaited, and kicks during a flush are not lost', async () => {
		const first = await queue('kick-1@example.org');
		kickOutbox(database.db);
		const second = await queue('kick-2@example.org');
		kickOutbox(database.db);
		await smtp.waitFor('kick-1@example.org');
		await smtp.waitFor('kick-2@example.org');
		expect(received('kick-')).toEqual(['kick-1@example.org', 'kick-2@example.org']);
		for (let i = 0; i < 50 && (await statuses([first, second])).some((s) => s !== 'sent'); i++) await new Promise((r) => setTimeout(r, 50));
		expect(await statuses([first, second])).toEqual(['sent', 'sent']);
	});

	it('a mail the SMTP server could not take is tried again later, and marked failed after the last attempt', async () => {
		const useSmtp = (port: number) => {
			process.env.SMTP_URL = `smtp://127.0.0.1:${port}`;
			resetEnvForTests();
			resetMailTransport();
		};
		const row = async (id: number) => (await database.db.select({ status: mailOutbox.status, attempts: mailOutbox.attempts, waitS: sql<number>`extract(epoch from ${mailOutbox.retryAt} - now())::float8`, error: mailOutbox.error }).from(mailOutbox).where(eq(mailOutbox.id, id)))[0];
		const due = (id: number) => database.db.update(mailOutbox).set({ retryAt: sql`now() - interval '1 second'` }).where(eq(mailOutbox.id, id));
		const down = await freePort();
		try {
			// The server is down: the mail stays pending, to be tried again in a minute.
			useSmtp(down);
			const id = await queue('retry@example.org');
			expect(await flushOutbox(database.db)).toBe(0);
			const after1 = await row(id);
			expect(after1).toMatchObject({ status: 'pending', attempts: 1 });
			expect(after1.waitS).toBeGreaterThan(50);
			expect(after1.error).toBeTruthy();
			// Back up: not before the retry time, then sent.
			useSmtp(smtp.port);
			expect(await flushOutbox(database.db)).toBe(0);
			expect(received('retry@')).toEqual([]);
			await due(id);
			expect(await flushOutbox(database.db)).toBe(1);
			await smtp.waitFor('retry@example.org');
			expect(await row(id)).toMatchObject({ status: 'sent', attempts: 1, waitS: null });

			// Down for good: after 1 + MAIL_RETRY_MINUTES.length attempts the mail is failed, not retried.
			useSmtp(down);
			const dead = await queue('dead@example.org');
			for (let i = 0; i < MAIL_RETRY_MINUTES.length; i++) {
				expect(await flushOutbox(database.db)).toBe(0);
				expect((await row(dead)).status).toBe('pending');
				await due(dead);
			}
			expect(await flushOutbox(database.db)).toBe(0);
			expect(await row(dead)).toMatchObject({ status: 'failed', attempts: MAIL_RETRY_MINUTES.length + 1, waitS: null });
			await due(dead);
			expect(await flushOutbox(database.db)).toBe(0);
			expect((await row(dead)).status).toBe('failed');
		} finally {
			useSmtp(smtp.port);
		}
	});

	it('an admin sends a failed mail again by hand (audited); members, other places and sent mails are refused', async () => {
		const A = await machineSpace(database, 'relance', [['admin', 'admin'], ['membre', 'member']]);
		const B = await machineSpace(database, 'ailleurs', [['admin', 'admin']]);
		const [admin, membre, other] = await Promise.all([
			resolvePlace(database.db, 'relance', { id: A.ids.admin, isOperator: false }),
			resolvePlace(database.db, 'relance', { id: A.ids.membre, isOperator: false }),
			resolvePlace(database.db, 'ailleurs', { id: B.ids.admin, isOperator: false })
		]);
		const fail = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as AppError);
		const id = await queueMail(database.db, { placeId: A.placeId, to: 'relance@example.org', locale: 'fr', template: 'till.mail.receipt', params: { number: 'T-2', date: '27/11/2026', total: '4,00 €' } });
		// refused until the last try: failed
		await database.db.update(mailOutbox).set({ status: 'failed', attempts: MAIL_RETRY_MINUTES.length + 1, error: 'connect ECONNREFUSED' }).where(eq(mailOutbox.id, id));
		expect((await fail(resendMail(database.db, { scope: membre.scope }, { id })))?.code).toBe('forbidden');
		expect((await fail(resendMail(database.db, { scope: other.scope }, { id })))?.code).toBe('not_found');
		expect((await fail(resendMail(database.db, { operator: { id: A.ids.admin, isOperator: false } }, { id })))?.code).toBe('forbidden');
		expect((await fail(resendMail(database.db, { scope: admin.scope }, { id: 'abc' })))?.code).toBe('invalid_input');
		expect((await fail(resendMail(database.db, { scope: admin.scope }, { id: '1e30' })))?.code).toBe('invalid_input');
		expect((await fail(resendMail(database.db, { scope: admin.scope }, { id: '99999999999' })))?.code).toBe('not_found');
		expect((await fail(resendMail(database.db, { scope: admin.scope }, {})))?.code).toBe('invalid_input');
		await resendMail(database.db, { scope: admin.scope }, { id: String(id) });
		const [row] = await database.db.select().from(mailOutbox).where(eq(mailOutbox.id, id));
		expect(row).toMatchObject({ status: 'pending', attempts: 0, retryAt: null, error: null });
		expect(await database.db.select().from(auditLog).where(eq(auditLog.targetId, String(id)))).toMatchObject([{ action: 'mail.resend', actorId: A.ids.admin, placeId: A.placeId }]);
		expect(await flushOutbox(database.db)).toBe(1);
		await smtp.waitFor('relance@example.org');
		expect(await statuses([id])).toEqual(['sent']);
		// gone out: nothing to send again
		expect((await fail(resendMail(database.db, { scope: admin.scope }, { id })))?.fields).toEqual({ _: 'admin.outbox.already_sent' });
	});
});
