// A real SMTP server on localhost that keeps every message it receives (mail tests and browser journeys).
import net from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A TCP port free on localhost right now. */
export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.listen(0, '127.0.0.1', () => {
			const port = (srv.address() as net.AddressInfo).port;
			srv.close(() => resolve(port));
		});
		srv.on('error', reject);
	});
}

export interface CapturedMail {
	to: string;
	raw: string;
	subject: string;
	text: string;
}

/** A real SMTP server on localhost that keeps every message it receives. */
export async function startSmtpCapture() {
	const mails: CapturedMail[] = [];
	const server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS'],
		onData(stream, session, cb) {
			let raw = '';
			stream.on('data', (c) => (raw += c.toString('utf8')));
			stream.on('end', () => {
				const subject = decodeHeader(/^Subject: (.*(?:\r?\n[ \t].*)*)/m.exec(raw)?.[1] ?? '');
				mails.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), raw, subject, text: decodeBody(raw) });
				cb();
			});
		}
	});
	const port = await freePort();
	await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
	return {
		port,
		mails,
		/** Waits for a mail to this address (optionally matching the subject). */
		async waitFor(to: string, subject?: RegExp, timeoutMs = 15_000): Promise<CapturedMail> {
			const t0 = Date.now();
			for (;;) {
				const m = mails.find((x) => x.to.includes(to) && (!subject || subject.test(x.subject)));
				if (m) return m;
				if (Date.now() - t0 > timeoutMs) throw new Error(`no mail to ${to} within ${timeoutMs} ms (got: ${mails.map((x) => `${x.to}: ${x.subject}`).join('; ')})`);
				await new Promise((r) => setTimeout(r, 100));
			}
		},
		close: () => new Promise<void>((r) => server.close(() => r()))
	};
}

function decodeHeader(h: string): string {
	// why: white space between two adjacent encoded words is not part of the text (RFC 2047 §6.2); it must go
	// before decoding (nodemailer splits long subjects, e.g. "…La Tr=C3=A9s?= =?UTF-8?Q?o?=").
	return h.replace(/\r?\n[ \t]/g, ' ').replace(/(\?=)\s+(?==\?)/g, '$1').replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_, enc, s) =>
		enc.toLowerCase() === 'b' ? Buffer.from(s, 'base64').toString('utf8') : decodeQP(s.replace(/_/g, ' '))
	);
}

function decodeQP(s: string): string {
	const bytes: number[] = [];
	const str = s.replace(/=\r?\n/g, '');
	for (let i = 0; i < str.length; i++) {
		if (str[i] === '=' && /^[0-9A-F]{2}$/i.test(str.slice(i + 1, i + 3))) {
			bytes.push(parseInt(str.slice(i + 1, i + 3), 16));
			i += 2;
		} else bytes.push(...Buffer.from(str[i], 'utf8'));
	}
	return Buffer.from(bytes).toString('utf8');
}

function decodeBody(raw: string): string {
	// first text/plain part; quoted-printable or base64
	const m = /Content-Type: text\/plain[^]*?\r?\n\r?\n([^]*?)(?:\r?\n--|$)/i.exec(raw);
	const part = m?.[1] ?? raw;
	const header = /Content-Type: text\/plain[^]*?\r?\n\r?\n/i.exec(raw)?.[0] ?? '';
	if (/Content-Transfer-Encoding: base64/i.test(header)) return Buffer.from(part.replace(/\s+/g, ''), 'base64').toString('utf8');
	if (/Content-Transfer-Encoding: quoted-printable/i.test(header)) return decodeQP(part);
	return part;
}

