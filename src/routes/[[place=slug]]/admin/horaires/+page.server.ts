import type { Actions, PageServerLoad } from './$types';
import { addException, addOpenAccessSession, deleteException, deleteOpenAccessSession, hoursAdmin, referentOptions, setWeeklyHours } from '$lib/modules/booking/hours.server';
import { listResourcesAdmin } from '$lib/modules/booking/resources.server';
import { parseRanges, parseTimeOfDay, weeklyPattern, ISO_WEEKDAYS, type MinuteRange } from '$lib/modules/booking/hours';
import { runForm } from '$lib/server/http/forms';
import { AppError, isAppError } from '$lib/server/errors';
import { translate } from '$lib/i18n';
import { adminContext } from '../guard.server';

const str = (fd: FormData, k: string) => (typeof fd.get(k) === 'string' ? (fd.get(k) as string) : '');

export const load: PageServerLoad = async (event) => {
	const { db, scope } = await adminContext(event, 'bookings.manage');
	const resources = (await listResourcesAdmin(db, scope)).map((r) => ({ id: r.id, name: r.name, kind: r.kind }));
	const wanted = event.url.searchParams.get('resource') ?? '';
	const selected = resources.find((r) => r.id === wanted)?.id ?? null;
	const hours = await hoursAdmin(db, scope, new Date());
	return {
		...hours,
		resources,
		selected,
		pattern: weeklyPattern(hours.rules, selected),
		referents: await referentOptions(db, scope),
		timezone: scope.timezone
	};
};

/** Renames a command's field errors to the form's field names. */
function renameFields(e: unknown, map: (k: string) => string): never {
	if (isAppError(e) && e.fields) throw new AppError(e.code, { fields: Object.fromEntries(Object.entries(e.fields).map(([k, v]) => [map(k), v])) });
	throw e;
}

export const actions: Actions = {
	weekly: async (event) => {
		const { db, scope } = await adminContext(event, 'bookings.manage');
		return runForm(event, async (fd) => {
			const days: Record<string, MinuteRange[]> = {};
			const fields: Record<string, string> = {};
			for (const d of ISO_WEEKDAYS) {
				// why: the form always sends the seven days (an empty one is a closed day); a post without them (a
				// broken client, an empty body) must not close the place for the whole week: these are its published hours.
				if (typeof fd.get(`day${d}`) !== 'string') {
					fields[`day${d}`] = 'field.required';
					continue;
				}
				const r = parseRanges(str(fd, `day${d}`));
				if (r.ok) days[String(d)] = r.ranges;
				else fields[`day${d}`] = r.error;
			}
			if (Object.keys(fields).length) throw new AppError('invalid_input', { fields });
			await setWeeklyHours(db, scope, { resourceId: str(fd, 'resourceId') || null, days }).catch((e) => renameFields(e, (k) => k.replace(/^days\./, 'day')));
			return { success: true, form: 'weekly', message: translate(event.locals.locale, 'hours.saved') };
		});
	},
	exception: async (event) => {
		const { db, scope } = await adminContext(event, 'bookings.manage');
		return runForm(event, async (fd) => {
			const closed = fd.get('closed') === 'on';
			const parsed = parseRanges(closed ? '' : str(fd, 'ranges'));
			if (!parsed.ok) throw new AppError('invalid_input', { fields: { ranges: parsed.error } });
			await addException(db, scope, { resourceId: str(fd, 'exResourceId') || null, date: str(fd, 'date'), closed, ranges: parsed.ranges, reason: str(fd, 'reason') }).catch((e) => renameFields(e, (k) => (k === 'resourceId' ? 'exResourceId' : k)));
			return { success: true, form: 'exception', message: translate(event.locals.locale, 'hours.exception_added') };
		});
	},
	deleteException: async (event) => {
		const { db, scope } = await adminContext(event, 'bookings.manage');
		return runForm(event, async (fd) => {
			await deleteException(db, scope, str(fd, 'id'));
			return { success: true, form: 'exception', message: translate(event.locals.locale, 'hours.deleted') };
		});
	},
	session: async (event) => {
		const { db, scope } = await adminContext(event, 'bookings.manage');
		return runForm(event, async (fd) => {
			const startMin = parseTimeOfDay(str(fd, 'startMin'));
			const endMin = parseTimeOfDay(str(fd, 'endMin'));
			const fields: Record<string, string> = {};
			if (startMin === null || startMin >= 1440) fields.startMin = 'hours.bad_time';
			if (endMin === null) fields.endMin = 'hours.bad_time';
			if (Object.keys(fields).length) throw new AppError('invalid_input', { fields });
			await addOpenAccessSession(db, scope, { resourceId: str(fd, 'sessionResourceId') || null, referentId: str(fd, 'referentId') || null, date: str(fd, 'sessionDate'), startMin: startMin!, endMin: endMin!, note: str(fd, 'note') }).catch((e) =>
				renameFields(e, (k) => ({ resourceId: 'sessionResourceId', date: 'sessionDate' })[k] ?? k)
			);
			return { success: true, form: 'session', message: translate(event.locals.locale, 'hours.session_added') };
		});
	},
	deleteSession: async (event) => {
		const { db, scope } = await adminContext(event, 'bookings.manage');
		return runForm(event, async (fd) => {
			await deleteOpenAccessSession(db, scope, str(fd, 'id'));
			return { success: true, form: 'session', message: translate(event.locals.locale, 'hours.deleted') };
		});
	}
};
