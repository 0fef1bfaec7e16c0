import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getApp } from '$lib/server/app';
import { resolvePlace } from '$lib/server/place-context';
import { AppError, isAppError } from '$lib/server/errors';
import { runForm } from '$lib/server/http/forms';
import { translate } from '$lib/i18n';
import { can } from '$lib/modules/places/policy';
import { addDays, wallClock } from '$lib/modules/places/time';
import { estimateBooking, publicResource, resourcePrices, resourceWeek } from '$lib/modules/booking/queries.server';
import { createBooking } from '$lib/modules/booking/commands.server';
import { joinWaitlist } from '$lib/modules/booking/waitlist.server';
import { mondayOf, slotFromForm } from '$lib/modules/booking/rules';
import { memberContext } from '../../member-guard.server';

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** Field names of the engine (startsAt, endsAt) as the form's (debut, duree). */
const FORM_FIELD: Record<string, string> = { startsAt: 'debut', endsAt: 'duree', resourceId: 'debut' };

// The page of one machine (public): description, safety, materials, prices, the week's free and taken times, and
// for members a form to book a slot (it works without JavaScript: a GET to see the price, a POST to book).
export const load: PageServerLoad = async ({ params, locals, parent, url }) => {
	const { place } = await parent();
	const notFound = () => error(404, { message: translate(locals.locale, 'error.not_found'), code: 'not_found' });
	if (!place?.enabledModules.includes('machines')) notFound();
	const { database } = await getApp();
	const db = database.db;
	const { scope } = await resolvePlace(db, params.place, locals.user);
	let r;
	try {
		r = await publicResource(db, scope, { slug: params.slug });
	} catch (e) {
		if (isAppError(e) && e.code === 'not_found') notFound();
		throw e;
	}
	const now = new Date();
	const today = wallClock(now, scope.timezone).date;
	const asked = url.searchParams.get('semaine') ?? '';
	let monday = mondayOf(today);
	if (DATE_RE.test(asked) && !Number.isNaN(new Date(`${asked}T00:00:00Z`).getTime())) {
		const m = mondayOf(asked);
		// why: a hand-typed week years away would only show closed cells; keep to two years around today.
		if (m >= addDays(monday, -730) && m <= addDays(monday, 730)) monday = m;
	}
	const grid = await resourceWeek(db, scope, r, monday, now);
	const prices = await resourcePrices(db, scope.placeId, r.productId);
	const canBook = Boolean(scope.roleKey && can(scope, 'machines.book') && r.bookable);
	const durations: number[] = [];
	for (let m = r.minMinutes; m <= r.maxMinutes && durations.length < 24; m += r.slotMinutes) durations.push(m);
	const sel = { jour: url.searchParams.get('jour') ?? '', debut: url.searchParams.get('debut') ?? '', duree: url.searchParams.get('duree') ?? String(durations.find((d) => d >= 60) ?? durations[0] ?? r.minMinutes) };
	let estimate = null;
	if (canBook && sel.jour && sel.debut) {
		const iv = slotFromForm(sel.jour, sel.debut, sel.duree, scope.timezone);
		if (iv) {
			const e = await estimateBooking(db, scope, r, iv, now);
			estimate = { ...e, start: iv.start, end: iv.end, problemMessage: e.problem ? translate(locals.locale, e.problem.key ?? `booking.${e.problem.code}`) : null };
		}
	}
	return {
		resource: { id: r.id, slug: r.slug, name: r.name, kind: r.kind, description: r.description, safetyNotes: r.safetyNotes, allowedMaterials: r.allowedMaterials, requiresQualification: r.requiresQualification, bookable: r.bookable, openAccessOnly: r.openAccessOnly, slotMinutes: r.slotMinutes, minMinutes: r.minMinutes, maxMinutes: r.maxMinutes },
		prices,
		grid: { monday: grid.monday, rows: grid.rows.map(hhmm), days: grid.days.map((d) => ({ date: d.date, cells: d.cells.map((c) => (c ? c.state : null)) })) },
		prevWeek: addDays(monday, -7),
		nextWeek: addDays(monday, 7),
		thisWeek: mondayOf(today),
		canBook,
		waitlisted: url.searchParams.get('attente') === '1',
		signedIn: Boolean(locals.user),
		durations,
		selection: sel,
		estimate
	};
};

export const actions: Actions = {
	book: async (event) => {
		const { db, scope, base } = await memberContext(event);
		const result = await runForm(event, async (fd) => {
			const r = await publicResource(db, scope, { slug: event.params.slug });
			const iv = slotFromForm(fd.get('jour'), fd.get('debut'), fd.get('duree'), scope.timezone);
			if (!iv) throw new AppError('invalid_input', { fields: { debut: 'field.invalid' } });
			try {
				const res = await createBooking(db, scope, { resourceId: r.id, startsAt: iv.start.toISOString(), endsAt: iv.end.toISOString() });
				return res.booking.id;
			} catch (e) {
				if (isAppError(e) && e.fields) throw new AppError(e.code, { fields: Object.fromEntries(Object.entries(e.fields).map(([k, v]) => [FORM_FIELD[k] ?? k, v])), detail: e.detail });
				throw e;
			}
		});
		if (typeof result !== 'string') return result;
		redirect(303, `${base}/reservations/${result}?nouveau=1`);
	},
	/** Joins the waiting list of the slot the member could not book (it was taken). */
	attente: async (event) => {
		const { db, scope, base } = await memberContext(event);
		const result = await runForm(event, async (fd) => {
			const r = await publicResource(db, scope, { slug: event.params.slug });
			const iv = slotFromForm(fd.get('jour'), fd.get('debut'), fd.get('duree'), scope.timezone);
			if (!iv) throw new AppError('invalid_input', { fields: { debut: 'field.invalid' } });
			await joinWaitlist(db, scope, { resourceId: r.id, startsAt: iv.start, endsAt: iv.end });
			return `semaine=${fd.get('semaine') ?? event.url.searchParams.get('semaine') ?? ''}&attente=1`;
		});
		if (typeof result !== 'string') return result;
		redirect(303, `${base}/machines/${event.params.slug}?${result}#reserver`);
	}
};
