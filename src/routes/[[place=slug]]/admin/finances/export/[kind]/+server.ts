// Downloads of the money dashboard (money.view): the FEC (tab-separated text), the VAT summary and the
// sales per activity (CSV for French spreadsheets). A bad period sends the person back to the dashboard,
// where the period form shows the error and what was typed.
import { error, redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { activityReport, exportFec, vatReport } from '$lib/modules/money/accounting.server';
import { activityCsv, encodeLatin9, vatSummaryCsv } from '$lib/modules/money/accounting-rules';
import { translate } from '$lib/i18n';
import { adminContext } from '../../../guard.server';
import { periodFromUrl } from '../../period.server';

const KINDS = ['fec', 'vat', 'activities'] as const;

export const GET: RequestHandler = async (event) => {
	const kind = KINDS.find((k) => k === event.params.kind);
	if (!kind) error(404, { message: translate(event.locals.locale, 'error.not_found'), code: 'not_found' });
	const { db, scope, base } = await adminContext(event, 'money.view');
	const choice = periodFromUrl(event.url, scope.timezone);
	if (Object.keys(choice.errors).length || !event.url.searchParams.has('from')) {
		const q = new URLSearchParams({ from: choice.typed.from, to: choice.typed.to });
		redirect(303, `${base}/admin/finances?${q}#exports`);
	}
	const t = (key: string, params?: Record<string, string | number>) => translate(event.locals.locale, key, params);
	const { from, to } = choice.period;
	const headers = (type: string, name: string) => ({ 'content-type': type, 'content-disposition': `attachment; filename="${name}"`, 'cache-control': 'no-store' });
	if (kind === 'fec') {
		const fec = await exportFec(db, scope, choice.period);
		// UTF-8 by default; ?encoding=iso-8859-15 for accounting software that expects Latin-9 (art. A47 A-1 LPF).
		if (event.url.searchParams.get('encoding') === 'iso-8859-15') return new Response(encodeLatin9(fec.text), { headers: headers('text/plain; charset=iso-8859-15', fec.fileName) });
		return new Response(fec.text, { headers: headers('text/plain; charset=utf-8', fec.fileName) });
	}
	if (kind === 'vat') {
		const vat = await vatReport(db, scope, choice.period);
		return new Response(vatSummaryCsv(vat, vat.period, t), { headers: headers('text/csv; charset=utf-8', `tva-${scope.slug}-${from}-${to}.csv`) });
	}
	const rep = await activityReport(db, scope, choice.period);
	return new Response(activityCsv(rep.rows, t), { headers: headers('text/csv; charset=utf-8', `ventes-activites-${scope.slug}-${from}-${to}.csv`) });
};
