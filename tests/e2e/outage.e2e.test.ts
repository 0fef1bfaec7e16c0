// Journey: a machine goes out of service. Léa (a qualified member, phone) books the laser cutter on Tuesday
// 10:00–12:00 and the admin records her payment at the desk. Camille (staff, phone, JavaScript OFF) puts the laser
// out of service that Tuesday 09:00–19:00 from its admin page (a period ending before it starts is refused in
// French, keeping what was typed). Léa's booking is cancelled: she is credited what she paid (wallet), gets an
// e-mail (a real SMTP capture) naming the reason, sees the booking cancelled with the reason in "Mes réservations"
// and on its page, and cannot book that day; the public week of the machine shows the time as maintenance.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { expectAccessible, expectAccessibleNoJs, launchBrowser, loadDemo, phoneContext, signedInPhone, startServer, startSmtpCapture, type CapturedMail, type LieuServer } from './harness';
import { addDays, nextWeekday } from '../../src/lib/modules/places/time';

let server: LieuServer;
let browser: Browser;
let smtp: Awaited<ReturnType<typeof startSmtpCapture>>;
beforeAll(async () => {
	smtp = await startSmtpCapture();
	[server, browser] = await Promise.all([startServer({ SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), SMTP_SECURE: 'false', MAIL_FROM: 'La Tréso <bonjour@la-treso.test>' }), launchBrowser()]);
	await loadDemo(server);
});
afterAll(async () => {
	await browser?.close();
	await server?.stop();
	await smtp?.close();
});

const tuesday = nextWeekday(new Date(), 'Europe/Paris', 2, 1);
const monday = addDays(tuesday, -1);
const REASON = 'Tube laser à remplacer';
const dayLong = (date: string) => new Intl.DateTimeFormat('fr-FR', { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }).format(new Date(`${date}T12:00:00Z`));
/** Cents shown as French money ("1 234,50 €", with its narrow spaces). */
const cents = (text: string | null) => Number((text ?? '').replace(/[^\d,-]/g, '').replace(',', ''));
const phone = (email: string, javaScriptEnabled = true) => signedInPhone(browser, server.url, email, { javaScriptEnabled });

let bookingId = '';
let creditBefore = 0;

async function mailTo(to: string, subject: RegExp, timeoutMs = 30_000): Promise<CapturedMail> {
	const t0 = Date.now();
	for (;;) {
		const m = smtp.mails.find((x) => x.to.includes(to) && subject.test(x.subject));
		if (m) return m;
		if (Date.now() - t0 > timeoutMs) throw new Error(`no "${subject}" mail to ${to} (got: ${smtp.mails.map((x) => `${x.to}: ${x.subject}`).join('; ')})`);
		await new Promise((r) => setTimeout(r, 100));
	}
}

describe('a machine out of service (phone)', () => {
	it('Léa books Tuesday 10:00–12:00 and the admin records her payment', async () => {
		const { ctx, page } = await phone('membre@la-treso.demo');
		await page.goto(server.url + '/porte-monnaie');
		creditBefore = cents(await page.getByTestId('balance-euros').textContent());
		await page.goto(`${server.url}/machines/decoupeuse-laser?semaine=${monday}&jour=${tuesday}&debut=10:00&duree=120`);
		expect(await page.getByTestId('estimate').textContent()).toContain('40,00');
		await page.getByRole('button', { name: 'Réserver', exact: true }).click();
		await page.waitForURL(/\/reservations\/[^/?]+\?nouveau=1/);
		bookingId = new URL(page.url()).pathname.split('/').pop()!;
		const orderPath = (await page.getByTestId('pay-link').getAttribute('href'))!;
		expect(orderPath).toMatch(/^\/commande\//);

		const admin = await phone('admin@la-treso.demo', false);
		await admin.page.goto(server.url + '/admin/commandes');
		const order = admin.page.locator('ul.orders > li', { has: admin.page.locator(`a[href$="${orderPath}"]`) });
		expect(await order.textContent()).toContain('Léa Martin');
		await order.getByLabel('Moyen de paiement').selectOption('card');
		await order.getByRole('button', { name: /^Encaisser 40,00/ }).click();
		await admin.page.waitForLoadState();
		expect(await admin.page.getByRole('status').first().textContent()).toContain('Paiement enregistré.');
		await admin.ctx.close();

		await page.goto(`${server.url}/reservations/${bookingId}`);
		expect((await page.getByTestId('booking-status').textContent())?.trim()).toBe('Confirmée');
		await expectAccessible(page);
		await ctx.close();
	});

	it('Camille (no JavaScript) puts the laser out of service that Tuesday; a period ending before it starts is refused, nothing typed is lost', async () => {
		const { ctx, page } = await phone('equipe@la-treso.demo', false);
		await page.goto(server.url + '/admin/machines');
		await page.getByRole('link', { name: 'Découpeuse laser' }).click();
		await page.waitForURL(/\/admin\/machines\/[^/?]+$/);
		const laserUrl = page.url();
		expect(await page.textContent('section[aria-labelledby="outages-title"]')).toContain('Aucune indisponibilité prévue.');
		await expectAccessibleNoJs(browser, page);

		const form = () => page.locator('form[action="?/outage"]');
		await form().getByLabel('Du (date)').fill(tuesday);
		await form().getByLabel('À partir de (heure)').fill('9h');
		await form().getByLabel('Au (date)').fill(tuesday);
		await form().getByLabel('Jusqu’à (heure)').fill('8h');
		await form().getByLabel('Motif').fill(REASON);
		await form().getByRole('button', { name: 'Mettre hors service' }).click();
		await page.waitForLoadState();
		expect(await form().locator('.field .error').allTextContents()).toEqual(['La fin doit être après le début.']);
		expect(await form().getByLabel('Motif').inputValue()).toBe(REASON);
		expect(await form().getByLabel('À partir de (heure)').inputValue()).toBe('9h');
		expect(await form().getByLabel('Du (date)').inputValue()).toBe(tuesday);
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

		await form().getByLabel('Jusqu’à (heure)').fill('19h');
		await form().getByRole('button', { name: 'Mettre hors service' }).click();
		await page.waitForLoadState();
		expect(await page.locator('section[aria-labelledby="outages-title"] [role="status"]').textContent()).toContain('Réservations annulées et prévenues : 1.');
		await page.goto(laserUrl);
		const upcoming = (await page.textContent('section[aria-labelledby="outages-title"] ul')) ?? '';
		expect(upcoming).toContain(REASON);
		expect(upcoming).toContain('09:00');
		expect(upcoming).toContain('19:00');
		await ctx.close();
	});

	it('the public week of the laser shows that Tuesday as maintenance', async () => {
		const anon = await phoneContext(browser);
		const page = await anon.newPage();
		await page.goto(`${server.url}/machines/decoupeuse-laser?semaine=${monday}`);
		// columns: the time, then Monday to Sunday; Tuesday is the third
		expect(await page.locator('table.week thead th').nth(2).getAttribute('abbr')).toBe(dayLong(tuesday));
		const states = await page.locator('table.week tbody tr td:nth-child(3) .cell').evaluateAll((els) => els.map((e) => [...e.classList].find((c) => ['free', 'booked', 'closed', 'maintenance', 'past'].includes(c))));
		// the rows run from 09:00 (Tuesday's opening in the demo) to 22:00 (Thursday's and Friday's closing): the outage
		// 09:00–19:00 is 20 half-hour cells of maintenance (its last hour after Tuesday's 18:00 closing included), then closed
		expect(states).toEqual([...Array(20).fill('maintenance'), ...Array(6).fill('closed')]);
		expect(await page.locator('table.week .cell.maintenance').count()).toBe(20);
		expect(await page.locator('table.week tbody tr td:nth-child(3) .cell.maintenance').first().textContent()).toBe('Maintenance');
		expect(await page.locator('table.week tbody tr td:nth-child(4) .cell.free').count()).toBeGreaterThan(0);
		await expectAccessible(page);
		await anon.close();
	});

	it('Léa is credited, told by e-mail, sees the booking cancelled with the reason and cannot book that day', async () => {
		const mail = await mailTo('membre@la-treso.demo', /^Découpeuse laser : votre réservation est annulée$/);
		expect(mail.text).toContain(`hors service (${REASON})`);
		expect(mail.text).toContain('10:00');
		expect(mail.text).toContain('porte-monnaie');

		const { ctx, page } = await phone('membre@la-treso.demo');
		await page.goto(server.url + '/reservations');
		expect(await page.getByTestId('booking').count()).toBe(0);
		const past = page.getByTestId('past-booking').filter({ has: page.locator(`a[href$="/reservations/${bookingId}"]`) });
		const line = (await past.textContent())?.replace(/\s+/g, ' ') ?? '';
		expect(line).toContain(`${dayLong(tuesday)} à 10:00 – 12:00`);
		expect(line).toContain('Annulée');
		expect(line).toContain(`Machine hors service : ${REASON}`);
		await expectAccessible(page);

		await past.getByRole('link').click();
		await page.waitForURL(new RegExp(`/reservations/${bookingId}$`));
		expect((await page.getByTestId('booking-status').textContent())?.trim()).toBe('Annulée');
		expect((await page.getByTestId('cancel-reason').textContent())?.trim()).toBe(`Machine hors service : ${REASON}`);
		await expectAccessible(page);

		await page.goto(server.url + '/porte-monnaie');
		expect(cents(await page.getByTestId('balance-euros').textContent())).toBe(creditBefore + 4000);
		expect(await page.textContent('main')).toContain('Remboursement en crédit');
		await expectAccessible(page);

		await page.goto(`${server.url}/machines/decoupeuse-laser?semaine=${monday}&jour=${tuesday}&debut=14:00&duree=60`);
		expect(await page.getByTestId('estimate').textContent()).toContain('La machine est hors service à ce moment-là.');
		await expectAccessible(page);
		await ctx.close();
	});
});
