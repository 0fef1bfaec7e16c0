import type { RequestHandler } from './$types';
import { receiptPdf } from '$lib/modules/money/receipt-pdf.server';
import { tillContext } from '../../../guard.server';
import { loadReceiptView } from '../../receipt.server';

/** The receipt as a PDF, one page 80 mm wide. */
export const GET: RequestHandler = async (event) => {
	const ctx = await tillContext(event, ['cafe.sell', 'money.view']);
	const { view } = await loadReceiptView(ctx, event.params.id, event.locals.locale);
	const pdf = await receiptPdf(view, event.locals.locale);
	return new Response(new Uint8Array(pdf), {
		headers: {
			'content-type': 'application/pdf',
			'content-disposition': `inline; filename="ticket-${view.number}.pdf"`,
			'cache-control': 'private, no-store'
		}
	});
};
