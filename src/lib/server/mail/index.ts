import { and, eq, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Transporter } from 'nodemailer';
import { mailOutbox } from '../db/schema';
import type { Db, DbOrTx } from '../db/client';
import { env } from '../env';
import { translate, type Locale } from '../../i18n';
import { log } from '../log';

export interface MailInput {
	placeId?: string | null;
	to: string;
	locale: Locale;
	/** Message area prefix, e.g. 'mail.magic_link' (uses .subject, .body, .action). */
	template: string;
	params?: Record<string, string | number>;
	name?: string | null;
	placeName?: string;
	/** Link shown as the call to action. */
	url?: string;
	/** Extra plain-text paragraphs after the body. */
	extra?: string[];
	/** Files to attach (at most 5 MB in all): a receipt PDF, a booking's .ics. */
	attachments?: Array<{ filename: string; contentType: string; content: Uint8Array | string }>;
}

/** Largest total size of a mail's attachments (bytes): what common mail servers accept, with room to spare. */
export const MAX_ATTACHMENTS_BYTES = 5 * 1024 * 1024;

function escapeHtml(s: string): string {
	return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Renders a mail template in the recipient's language (subject, text and simple accessible HTML). */
export function renderMail(m: MailInput): { subject: string; text: string; html: string } {
	const p = { place: m.placeName ?? 'Lieu', ...(m.params ?? {}) };
	const t = (k: string) => translate(m.locale, k, p);
	const subject = t(`${m.template}.subject`);
	const greeting = m.name ? translate(m.locale, 'mail.greeting', { name: m.name }) : t('mail.greeting_anonymous');
	const body = t(`${m.template}.body`);
	const sign = t('mail.signature');
	const footer = t('mail.footer');
	const lines = [greeting, '', body];
	if (m.url) lines.push('', m.url);
	for (const x of m.extra ?? []) lines.push('', x);
	lines.push('', sign, '', '--', footer);
	const action = m.url ? t(`${m.template}.action`) : '';
	const html = `<!doctype html><html lang="${m.locale}"><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1b1b1b">
<p>${escapeHtml(greeting)}</p><p>${escapeHtml(body)}</p>
${m.url ? `<p><a href="${escapeHtml(m.url)}" style="background:#1f5f4a;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none;display:inline-block">${escapeHtml(action)}</a></p><p style="font-size:13px">${escapeHtml(m.url)}</p>` : ''}
${(m.extra ?? []).map((x) => `<p>${escapeHtml(x)}</p>`).join('')}
<p style="white-space:pre-line">${escapeHtml(sign)}</p><hr><p style="font-size:12px;color:#555">${escapeHtml(footer)}</p></body></html>`;
	return { subject, text: lines.join('\n'), html };
}

/**
 * Writes a mail to the outbox (in the caller's transaction when given one). Call flushOutbox after
 * the transaction commits to send it when SMTP is configured.
 */
export async function queueMail(tx: DbOrTx, m: MailInput): Promise<number> {
	const [row] = await tx.insert(mailOutbox).values(outboxValues(m)).returning({ id: mailOutbox.id });
	return row.id;
}

/** The outbox row of a mail (rendered, attachments in base64), for callers that insert it in a larger statement. */
export function outboxValues(m: MailInput): typeof mailOutbox.$inferInsert {
	const r = renderMail(m);
	const files = (m.attachments ?? []).map((a) => ({ filename: a.filename, contentType: a.contentType, bytes: typeof a.content === 'string' ? Buffer.from(a.content, 'utf8') : Buffer.from(a.content) }));
	if (files.reduce((s, f) => s + f.bytes.length, 0) > MAX_ATTACHMENTS_BYTES) throw new RangeError('mail attachments larger than 5 MB');
	const attachments = files.map((f) => ({ filename: f.filename, contentType: f.contentType, contentBase64: f.bytes.toString('base64') }));
	return { placeId: m.placeId ?? null, to: m.to, subject: r.subject, text: r.text, html: r.html, attachments, template: m.template };
}

let transporter: Transporter | null | undefined;
async function getTransporter(): Promise<Transporter | null> {
	if (transporter !== undefined) return transporter;
	const e = env();
	if (!e.smtpConfigured) return (transporter = null);
	const nodemailer = (await import('nodemailer')).default;
	transporter = e.SMTP_URL
		? nodemailer.createTransport(e.SMTP_URL)
		: nodemailer.createTransport({
				host: e.SMTP_HOST,
				port: e.SMTP_PORT ?? 587,
				secure: e.SMTP_SECURE === 'true',
				auth: e.SMTP_USER ? { user: e.SMTP_USER, pass: e.SMTP_PASSWORD ?? '' } : undefined,
				tls: { rejectUnauthorized: e.NODE_ENV === 'production' }
			});
	return transporter;
}

/** Test hook: forget the SMTP transport (after changing SMTP env). */
export function resetMailTransport() {
	transporter = undefined;
}

/** How long a mail stays claimed by a flush that never finished it (the process died) before it is pending again. */
const CLAIM_MINUTES = 10;

/**
 * A mail that could not be sent (SMTP server down, refused) is tried again after these delays (minutes), then
 * marked failed: 1 + 5 attempts over about three hours.
 */
export const MAIL_RETRY_MINUTES = [1, 5, 15, 45, 120];

/**
 * Claims up to 50 mails to send: pending ones (whose retry time, if any, has come), and ones claimed more than
 * CLAIM_MINUTES ago by a flush that died.
 * why: flushes run from the mail job and right after some actions (an outage, an invitation, a sign-up) at the same
 * time; each takes its rows with SKIP LOCKED and marks them 'sending' in one statement, so no mail goes out twice.
 */
function claimMails(db: Db) {
	const due = db
		.select({ id: mailOutbox.id })
		.from(mailOutbox)
		.where(
			or(
				and(eq(mailOutbox.status, 'pending'), or(isNull(mailOutbox.retryAt), lte(mailOutbox.retryAt, sql`now()`))),
				and(eq(mailOutbox.status, 'sending'), lt(mailOutbox.claimedAt, sql`now() - make_interval(mins => ${CLAIM_MINUTES})`))
			)
		)
		.orderBy(mailOutbox.id)
		.limit(50)
		.for('update', { skipLocked: true });
	return db.update(mailOutbox).set({ status: 'sending', claimedAt: sql`now()` }).where(inArray(mailOutbox.id, due)).returning();
}

/** Sends pending outbox mails through SMTP (no-op without SMTP: admins read them in the outbox page). */
export async function flushOutbox(db: Db): Promise<number> {
	const tr = await getTransporter();
	if (!tr) return 0;
	const pending = (await claimMails(db)).sort((a, b) => a.id - b.id);
	let sent = 0;
	for (const m of pending) {
		try {
			await tr.sendMail({
				from: env().MAIL_FROM,
				to: m.to,
				subject: m.subject,
				text: m.text,
				html: m.html ?? undefined,
				attachments: m.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: Buffer.from(a.contentBase64, 'base64') }))
			});
			await db.update(mailOutbox).set({ status: 'sent', sentAt: new Date(), error: null, retryAt: null }).where(eq(mailOutbox.id, m.id));
			sent++;
		} catch (err) {
			// why: an SMTP server that is down for a while must not lose the mails queued meanwhile.
			const delay = MAIL_RETRY_MINUTES[m.attempts];
			log().warn({ err, mailId: m.id, attempt: m.attempts + 1, retryInMinutes: delay ?? null }, 'mail send failed');
			await db
				.update(mailOutbox)
				.set({
					status: delay === undefined ? 'failed' : 'pending',
					attempts: m.attempts + 1,
					retryAt: delay === undefined ? null : sql`now() + make_interval(mins => ${delay})`,
					error: String((err as Error).message ?? err)
				})
				.where(eq(mailOutbox.id, m.id));
		}
	}
	return sent;
}

let kicked: Promise<void> | null = null;
let kickAgain = false;

/**
 * Sends the outbox soon, without making the caller wait: after a command committed mails that people expect at once
 * (a booking's confirmation, the offer of a freed slot, an outage's cancellations). Kicks during a flush make one
 * more pass when it ends; the mail job still sends whatever this misses.
 */
export function kickOutbox(db: Db): void {
	if (kicked) {
		kickAgain = true;
		return;
	}
	kicked = (async () => {
		do {
			kickAgain = false;
			await flushOutbox(db);
		} while (kickAgain);
	})()
		.catch((err) => log().warn({ err }, 'outbox flush failed; the mail job will retry'))
		.finally(() => {
			kicked = null;
		});
}
