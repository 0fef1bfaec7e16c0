// Mail attachments through the outbox and a real SMTP server (smtp-server on localhost): a file queued with a
// mail is kept in the outbox row and arrives byte for byte as a MIME attachment; oversized ones are refused
// before anything is written. Both engines.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { freshDatabase } from '../../../../tests/helpers/db';
import { startSmtpCapture } from '../../../../tests/helpers/smtp';
import type { Database } from '../db/client';
import { mailOutbox } from '../db/schema';
import { resetEnvForTests } from '../env';
import { flushOutbox, queueMail, resetMailTransport, MAX_ATTACHMENTS_BYTES } from './index';

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

/** The decoded content of the MIME part whose filename is `name`. */
function attachment(raw: string, name: string): { type: string; bytes: Buffer } | undefined {
	const parts = raw.split(/\r?\n--[^\r\n]+\r?\n/);
	const part = parts.find((p) => p.includes(`filename=${name}`) || p.includes(`filename="${name}"`));
	if (!part) return undefined;
	const [head, ...body] = part.split(/\r?\n\r?\n/);
	const type = /Content-Type: ([^;\r\n]+)/i.exec(head)?.[1] ?? '';
	const content = body.join('\n\n').split(/\r?\n--/)[0];
	return { type, bytes: Buffer.from(content.replace(/\s+/g, ''), 'base64') };
}

describe('mail attachments', () => {
	it('a PDF and an .ics queued with a mail arrive byte for byte through real SMTP', async () => {
		const pdf = new Uint8Array(3000).map((_, i) => (i * 37) % 256);
		const ics = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Lieu//FR\r\nEND:VCALENDAR\r\n';
		const id = await queueMail(database.db, {
			to: 'client@example.org',
			locale: 'fr',
			template: 'till.mail.receipt',
			params: { number: 'T-42', date: '26/11/2026', total: '12,50 €' },
			attachments: [
				{ filename: 'ticket-42.pdf', contentType: 'application/pdf', content: pdf },
				{ filename: 'reservation.ics', contentType: 'text/calendar', content: ics }
			]
		});
		const [row] = await database.db.select().from(mailOutbox).where(eq(mailOutbox.id, id));
		expect(row.attachments.map((a) => a.filename)).toEqual(['ticket-42.pdf', 'reservation.ics']);
		expect(await flushOutbox(database.db)).toBeGreaterThanOrEqual(1);
		const mail = await smtp.waitFor('client@example.org');
		const gotPdf = attachment(mail.raw, 'ticket-42.pdf');
		expect(gotPdf?.type).toBe('application/pdf');
		expect(Buffer.compare(gotPdf!.bytes, Buffer.from(pdf))).toBe(0);
		const gotIcs = attachment(mail.raw, 'reservation.ics');
		expect(gotIcs?.type).toBe('text/calendar');
		expect(gotIcs!.bytes.toString('utf8')).toBe(ics);
		const [sent] = await database.db.select().from(mailOutbox).where(eq(mailOutbox.id, id));
		expect(sent.status).toBe('sent');
	});

	it('refuses attachments over 5 MB before writing anything', async () => {
		const before = (await database.db.select().from(mailOutbox)).length;
		const big = new Uint8Array(MAX_ATTACHMENTS_BYTES + 1);
		await expect(queueMail(database.db, { to: 'x@example.org', locale: 'fr', template: 'till.mail.receipt', params: { number: '1', date: '', total: '' }, attachments: [{ filename: 'big.bin', contentType: 'application/octet-stream', content: big }] })).rejects.toThrow(/5 MB/);
		expect((await database.db.select().from(mailOutbox)).length).toBe(before);
	});
});
