import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getInvoice, issueCreditNote } from '$lib/modules/money/invoices.server';
import { parseQuantity } from '$lib/modules/money/invoice-form';
import { runForm } from '$lib/server/http/forms';
import { AppError, isAppError } from '$lib/server/errors';
import { translate } from '$lib/i18n';
import { adminContext } from '../../../guard.server';

export const load: PageServerLoad = async (event) => {
	const { db, scope } = await adminContext(event, 'money.manage');
	try {
		const d = await getInvoice(db, scope, event.params.id);
		if (d.invoice.kind !== 'invoice') error(404, { message: translate(event.locals.locale, 'error.not_found'), code: 'not_found' });
		return { detail: d };
	} catch (e) {
		if (isAppError(e) && e.code === 'not_found') error(404, { message: translate(event.locals.locale, 'error.not_found'), code: 'not_found' });
		throw e;
	}
};

export const actions: Actions = {
	default: async (event) => {
		const { db, scope, base } = await adminContext(event, 'money.manage');
		return runForm(event, async (fd) => {
			const lines: Array<{ sourceLine: number; quantity: unknown }> = [];
			for (let i = 0; i < 50; i++) {
				const v = fd.get(`lines.${i}.quantity`);
				if (typeof v !== 'string') continue;
				lines.push({ sourceLine: i, quantity: parseQuantity(v) ?? 0 });
			}
			let id: string;
			try {
				id = (await issueCreditNote(db, scope, { invoiceId: event.params.id, lines: lines as Array<{ sourceLine: number; quantity: number }>, note: String(fd.get('note') ?? '') })).id;
			} catch (e) {
				// why: the k-th submitted quantity is the field of the invoice line it names.
				if (isAppError(e) && e.fields) {
					const fields: Record<string, string> = {};
					for (const [k, v] of Object.entries(e.fields)) {
						const m = /^lines\.(\d+)\.(.*)$/.exec(k);
						fields[m && lines[Number(m[1])] ? `lines.${lines[Number(m[1])].sourceLine}.quantity` : k === 'lines' ? 'lines.0.quantity' : k] = v;
					}
					throw new AppError(e.code, { fields, cause: e });
				}
				throw e;
			}
			redirect(303, `${base}/admin/factures/${id}?issued=1`);
		});
	}
};
