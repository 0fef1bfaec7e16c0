// Journey: bookings around the two clock changes of Europe/Paris (the La Tréso demo's zone), on a phone without
// JavaScript. Camille (staff) lets the laser cutter be booked a year ahead and opens the place on the next two
// change Sundays (10:00–18:00). Léa then books 10:00–12:00 on the Saturday before, the change Sunday itself and the
// Tuesday after, for each change: the week grid keeps the same hour rows on both sides of the change (from the
// demo's earliest opening, 09:00 on Tuesdays) and shows
// each day's opening and her bookings at the wall-clock hours chosen, the booking pages and "Mes réservations"
// say 10:00 – 12:00, and the API gives the instants: 10:00 in Paris is 08:00Z in summer time, 09:00Z in winter.
// The change Sundays are computed from today (the next two at least 16 days ahead: clear of the demo's bookings).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expectAccessibleNoJs, launchBrowser, loadDemo, signedInPhone, startServer, type LieuServer } from './harness';

let server: LieuServer;
let browser: Browser;
beforeAll(async () => {
	[server, browser] = await Promise.all([startServer(), launchBrowser()]);
	await loadDemo(server);
});
afterAll(async () => {
	await browser?.close();
	await server?.stop();
});

// ——— Calendar arithmetic of the test itself (independent of the app's time helpers) ———

const day = (date: string, n: number) => new Date(Date.parse(`${date}T12:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
/** The last Sunday of a month (1…12): the day Europe/Paris changes its clocks in March and October. */
function lastSunday(year: number, month: number): string {
	const last = new Date(Date.UTC(year, month, 0, 12));
	return day(last.toISOString().slice(0, 10), -last.getUTCDay());
}
const todayParis = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
const year = Number(todayParis.slice(0, 4));

interface Change {
	kind: 'spring' | 'autumn';
	sunday: string;
	/** UTC hour of 10:00 in Paris before the change (Saturday) and after it (Sunday, Tuesday). */
	utcBefore: string;
	utcAfter: string;
}
const changes: Change[] = [year, year + 1]
	.flatMap((y) => [
		{ kind: 'spring' as const, sunday: lastSunday(y, 3), utcBefore: '09', utcAfter: '08' },
		{ kind: 'autumn' as const, sunday: lastSunday(y, 10), utcBefore: '08', utcAfter: '09' }
	])
	.filter((c) => c.sunday >= day(todayParis, 16))
	.sort((a, b) => a.sunday.localeCompare(b.sunday))
	.slice(0, 2);

/** How the machine page names a day ("dimanche 28 mars"). */
const dayLong = (date: string) => new Intl.DateTimeFormat('fr-FR', { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }).format(new Date(`${date}T12:00:00Z`));
/** Half-hour times from `from` (included) to `to` (excluded), "HH:MM". */
function halfHours(from: string, to: string): string[] {
	const m = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));
	const out: string[] = [];
	for (let x = m(from); x < m(to); x += 30) out.push(`${String(Math.floor(x / 60)).padStart(2, '0')}:${String(x % 60).padStart(2, '0')}`);
	return out;
}

const laserWeek = (page: Page, monday: string) => page.goto(`${server.url}/machines/decoupeuse-laser?semaine=${monday}`);
const rowLabels = (page: Page) => page.locator('table.week tbody th[scope="row"]').allTextContents();
/** The free cells of the week grid, by day: their visually hidden labels are "Libre, dimanche 28 mars 10:00". */
async function freeTimes(page: Page): Promise<Record<string, string[]>> {
	const out: Record<string, string[]> = {};
	for (const label of await page.locator('table.week a.cell.free').allTextContents()) {
		const m = /^Libre, (.+) (\d\d:\d\d)$/.exec(label.trim());
		expect(m, label).toBeTruthy();
		(out[m![1]] ??= []).push(m![2]);
	}
	for (const times of Object.values(out)) times.sort();
	return out;
}

describe('booking across the clock changes (Europe/Paris, phone, no JavaScript)', () => {
	it('finds the next two clock changes, one each way', () => {
		expect(changes.map((c) => c.kind).sort()).toEqual(['autumn', 'spring']);
		for (const c of changes) expect(new Date(`${c.sunday}T12:00:00Z`).getUTCDay()).toBe(0);
	});

	it('Camille lets the laser be booked a year ahead and opens the place on both change Sundays', async () => {
		const { ctx, page } = await signedInPhone(browser, server.url, 'equipe@la-treso.demo', { javaScriptEnabled: false });
		await page.goto(server.url + '/admin/machines');
		await page.getByRole('link', { name: 'Découpeuse laser' }).click();
		await page.waitForURL(/\/admin\/machines\/[^/?]+$/);
		const form = page.locator('form[action="?/update"]');
		await form.getByLabel('Réservable jusqu’à (jours à l’avance)').fill('400');
		await form.getByRole('button', { name: 'Enregistrer' }).click();
		await page.waitForLoadState();
		expect(await page.locator('section[aria-labelledby="edit-title"] [role="status"]').textContent()).toContain('Modifications enregistrées.');
		await page.goto(page.url());
		expect(await page.getByLabel('Réservable jusqu’à (jours à l’avance)').inputValue()).toBe('400');
		await expectAccessibleNoJs(browser, page);

		await page.goto(server.url + '/admin/horaires');
		for (const c of changes) {
			const ex = page.locator('form[action="?/exception"]');
			await ex.getByLabel('Date').fill(c.sunday);
			await ex.getByLabel('Horaires ce jour-là (si ouvert)').fill('10h-18h');
			await ex.getByLabel('Motif').fill('Dimanche du changement d’heure');
			await ex.getByRole('button', { name: 'Ajouter l’exception' }).click();
			await page.waitForLoadState();
			expect(await page.getByRole('status').first().textContent()).toContain('Exception ajoutée.');
		}
		expect(await page.textContent('section[aria-labelledby="exceptions-title"]')).toContain('10:00–18:00');
		await page.goto(server.url + '/admin/horaires');
		await expectAccessibleNoJs(browser, page);
		await ctx.close();
	});

	for (const [i, c] of changes.entries()) {
		it(`${c.kind === 'spring' ? 'spring forward' : 'fall back'} (${c.sunday}): Léa books 10:00–12:00 on the Saturday, the Sunday and the Tuesday; every page shows 10:00–12:00 and the instants are right`, async () => {
			const saturday = day(c.sunday, -1);
			const tuesday = day(c.sunday, 2);
			const monday = day(c.sunday, -6);
			const nextMonday = day(c.sunday, 1);
			let ctx: BrowserContext | undefined;
			try {
				const signed = await signedInPhone(browser, server.url, 'membre@la-treso.demo', { javaScriptEnabled: false });
				ctx = signed.ctx;
				const page = signed.page;

				// The week of the change has the same hour rows as the weeks around it, from the earliest opening (Tuesday 09:00).
				await laserWeek(page, day(monday, -7));
				const rowsBefore = await rowLabels(page);
				await laserWeek(page, nextMonday);
				const rowsAfter = await rowLabels(page);
				expect(await freeTimes(page)).toMatchObject({ [dayLong(tuesday)]: halfHours('09:00', '18:00') });
				await laserWeek(page, monday);
				const rows = await rowLabels(page);
				expect(rows[0]).toBe('09:00');
				expect(rows).toEqual(rowsBefore);
				expect(rows).toEqual(rowsAfter);
				// Saturday (old offset, demo hours 10:00–18:00) and the change Sunday (new offset, exception 10:00–18:00) open
				// at the same wall-clock times.
				const free = await freeTimes(page);
				expect(free[dayLong(saturday)]).toEqual(halfHours('10:00', '18:00'));
				expect(free[dayLong(c.sunday)]).toEqual(halfHours('10:00', '18:00'));
				expect(free[dayLong(day(c.sunday, -6))]).toBeUndefined(); // Monday: closed
				await expectAccessibleNoJs(browser, page);

				// Three bookings, 10:00 for 2 h, through the page's form (a GET shows the price, a POST books).
				const booked: Array<{ date: string; id: string; utcHour: string }> = [];
				for (const [date, utcHour] of [
					[saturday, c.utcBefore],
					[c.sunday, c.utcAfter],
					[tuesday, c.utcAfter]
				]) {
					const week = date === tuesday ? nextMonday : monday;
					await page.goto(`${server.url}/machines/decoupeuse-laser?semaine=${week}&jour=${date}&debut=10:00&duree=120`);
					const estimate = (await page.getByTestId('estimate').textContent()) ?? '';
					expect(estimate).toContain(`${dayLong(date)} à 10:00`);
					expect(estimate).toContain('2 h');
					await page.getByRole('button', { name: 'Réserver', exact: true }).click();
					await page.waitForURL(/\/reservations\/[^/?]+\?nouveau=1/);
					const id = new URL(page.url()).pathname.split('/').pop()!;
					expect((await page.getByTestId('booking-when').textContent())?.trim()).toBe(`${dayLong(date)} ${date.slice(0, 4)} à 10:00 – 12:00`);
					expect((await page.getByTestId('booking-status').textContent())?.trim()).toBe('À payer');
					booked.push({ date, id, utcHour });
				}
				await expectAccessibleNoJs(browser, page);

				// The stored instants, read back through the API with her session: 10:00 Paris is 08:00Z in summer, 09:00Z in winter.
				for (const b of booked) {
					const res = await ctx.request.get(`${server.url}/api/v1/places/la-treso/bookings/${b.id}`);
					expect(res.status()).toBe(200);
					const json = (await res.json()) as { startsAt: string; endsAt: string };
					const endHour = String(Number(b.utcHour) + 2).padStart(2, '0');
					expect({ date: b.date, startsAt: new Date(json.startsAt).toISOString(), endsAt: new Date(json.endsAt).toISOString() }).toEqual({
						date: b.date,
						startsAt: `${b.date}T${b.utcHour}:00:00.000Z`,
						endsAt: `${b.date}T${endHour}:00:00.000Z`
					});
				}

				// The grid shows them where they were chosen: 10:00–12:00 taken, free again from 12:00, on both sides.
				await laserWeek(page, monday);
				const after = await freeTimes(page);
				expect(after[dayLong(saturday)]).toEqual(halfHours('12:00', '18:00'));
				expect(after[dayLong(c.sunday)]).toEqual(halfHours('12:00', '18:00'));
				expect(await page.locator('table.week .cell.booked').count()).toBe(8);
				await laserWeek(page, nextMonday);
				expect((await freeTimes(page))[dayLong(tuesday)]).toEqual([...halfHours('09:00', '10:00'), ...halfHours('12:00', '18:00')]);

				// "Mes réservations" lists them with the same hours.
				await page.goto(server.url + '/reservations');
				const cards = page.getByTestId('booking');
				expect(await cards.count()).toBe(3 * (i + 1));
				for (const b of booked) {
					const card = cards.filter({ has: page.locator(`a[href$="/reservations/${b.id}"]`) });
					expect(await card.locator('p').first().textContent()).toBe(`${dayLong(b.date)} à 10:00 – 12:00`);
				}
				await expectAccessibleNoJs(browser, page);
			} finally {
				await ctx?.close();
			}
		}, 300_000);
	}
});
