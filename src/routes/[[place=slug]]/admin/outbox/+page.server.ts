import type { Actions, PageServerLoad } from './$types';
import { listInstanceOutbox, listPlaceOutbox, pageNumber, resendMail } from '$lib/modules/people/admin.server';
import { formObject, runForm } from '$lib/server/http/forms';
import { kickOutbox } from '$lib/server/mail';
import { translate } from '$lib/i18n';
import { adminContext } from '../guard.server';

export const load: PageServerLoad = async (event) => {
	const { db, scope } = await adminContext(event, 'outbox.view');
	const sp = event.url.searchParams;
	const isOperator = Boolean(event.locals.user?.isOperator);
	return {
		mails: await listPlaceOutbox(db, scope, { page: pageNumber(sp.get('page')) }),
		// Mails with no place (sign-in links, password resets) concern the whole instance: operators only.
		instance: isOperator ? await listInstanceOutbox(db, event.locals.user, { page: pageNumber(sp.get('ipage')) }) : null
	};
};

export const actions: Actions = {
	/** Sends again a mail the SMTP server refused (failed, or waiting for its next try). */
	resend: async (event) => {
		const { db, scope } = await adminContext(event, 'outbox.view');
		return runForm(event, async (fd) => {
			await resendMail(db, fd.get('instance') === '1' ? { operator: event.locals.user } : { scope }, formObject(fd));
			kickOutbox(db);
			return { success: true, message: translate(event.locals.locale, 'admin.outbox.resent') };
		});
	}
};
