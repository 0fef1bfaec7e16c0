// The Z report of a closure: its data (closure + place identity) and its PDF (pdfkit, A4, viewer's language).
import PDFDocument from 'pdfkit';
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../server/db/client';
import { place } from '../../server/db/schema';
import { formatDateTime, translate, type Locale } from '../../i18n';
import { LIEU_VERSION } from '../../server/version';
import type { PlaceScope } from '../places/policy';
import { getClosure, type Closure } from './closures.server';
import { money, periodLabel, rateLabel } from './zreport';

export interface ZReport {
	place: { name: string; address: string; siret: string | null; vatNumber: string | null; timezone: string; slug: string };
	closure: Closure;
}

/** The Z report of one closure of the scope's place (cafe.sell or money.view). */
export async function zReport(db: DbOrTx, scope: PlaceScope, closureId: string): Promise<ZReport> {
	const c = await getClosure(db, scope, closureId);
	const [p] = await db.select().from(place).where(eq(place.id, scope.placeId));
	return { place: { name: p.name, address: p.address, siret: p.siret, vatNumber: p.vatNumber, timezone: p.timezone, slug: p.slug }, closure: c };
}

/** The file name of a Z report, e.g. "la-treso-z-day-12-2026-03-10.pdf". */
export function zReportFileName(z: ZReport): string {
	const c = z.closure;
	const period = c.kind === 'year' ? c.periodStart.slice(0, 4) : c.kind === 'month' ? c.periodStart.slice(0, 7) : c.periodEnd;
	return `${z.place.slug}-z-${c.kind}-${c.number}-${period}.pdf`;
}

/** Renders the Z report as a PDF. */
export function zReportPdf(z: ZReport, locale: Locale, now = new Date()): Promise<Buffer> {
	const t = (key: string, params?: Record<string, string | number>) => translate(locale, key, params);
	const c = z.closure;
	const tz = z.place.timezone;
	const kind = t(`journal.kind_one.${c.kind}`);
	const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: t('z.title', { kind, number: c.number }), Author: z.place.name, Creator: `Lieu ${LIEU_VERSION}` } });
	const chunks: Buffer[] = [];
	const done = new Promise<Buffer>((resolve, reject) => {
		doc.on('data', (b: Buffer) => chunks.push(b));
		doc.on('end', () => resolve(Buffer.concat(chunks)));
		doc.on('error', reject);
	});
	const left = doc.page.margins.left;
	const width = doc.page.width - left - doc.page.margins.right;

	doc.font('Helvetica-Bold').fontSize(18).text(t('z.title', { kind, number: c.number }));
	doc.moveDown(0.5);
	doc.font('Helvetica-Bold').fontSize(12).text(z.place.name);
	doc.font('Helvetica').fontSize(10);
	if (z.place.address) doc.text(z.place.address);
	if (z.place.siret) doc.text(`${t('z.siret')} : ${z.place.siret}`);
	if (z.place.vatNumber) doc.text(`${t('z.vat_number')} : ${z.place.vatNumber}`);
	doc.moveDown();

	const pair = (label: string, value: string) => {
		const y = doc.y;
		doc.font('Helvetica-Bold').text(label, left, y, { width: 170 });
		const y1 = doc.y;
		doc.font('Helvetica').text(value, left + 175, y, { width: width - 175 });
		doc.y = Math.max(y1, doc.y);
		doc.x = left;
	};
	pair(t('z.kind'), kind);
	pair(t('z.number'), String(c.number));
	pair(t('z.period'), periodLabel(c, locale));
	pair(t('z.closed_at'), formatDateTime(c.closedAt, locale, tz, { dateStyle: 'long', timeStyle: 'medium' }) + ` (${tz})`);
	pair(t('z.receipts'), c.receiptCount > 0 ? t('z.receipts_value', { count: c.receiptCount, first: c.firstReceiptNumber ?? '', last: c.lastReceiptNumber ?? '' }) : t('z.receipts_none'));
	if (c.operatorRef) pair(t('z.operator'), c.operatorRef);
	doc.moveDown();

	const table = (title: string, head: string[], rows: string[][], cols: number[]) => {
		doc.font('Helvetica-Bold').fontSize(12).text(title, left);
		doc.moveDown(0.3);
		doc.fontSize(10);
		const draw = (cells: string[], bold: boolean) => {
			const y = doc.y;
			let x = left;
			let bottom = y;
			cells.forEach((cell, i) => {
				doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').text(cell, x, y, { width: cols[i] - 6, align: i === 0 ? 'left' : 'right' });
				bottom = Math.max(bottom, doc.y);
				x += cols[i];
			});
			doc.y = bottom + 2;
			doc.x = left;
		};
		draw(head, true);
		doc.moveTo(left, doc.y).lineTo(left + cols.reduce((a, b) => a + b, 0), doc.y).lineWidth(0.5).stroke();
		doc.y += 3;
		if (!rows.length) doc.font('Helvetica').text(t('z.nothing'), left);
		for (const r of rows) draw(r, false);
		doc.moveDown();
	};
	table(
		t('z.by_rate'),
		[t('z.rate'), t('z.ht'), t('z.vat'), t('z.ttc')],
		c.totals.map((r) => [rateLabel(r, locale), money(r.htCents, locale), money(r.vatCents, locale), money(r.ttcCents, locale)]),
		[width * 0.31, width * 0.23, width * 0.23, width * 0.23]
	);
	table(
		t('z.by_method'),
		[t('z.method'), t('z.amount')],
		c.payments.map((p) => [t(`z.method.${p.method}`), money(p.amountCents, locale)]),
		[width * 0.5, width * 0.5]
	);
	doc.font('Helvetica-Bold').fontSize(11);
	pair(t('z.period_total'), money(c.totalCents, locale));
	pair(t('z.perpetual_total'), money(c.perpetualTotalCents, locale));
	doc.moveDown();
	doc.fontSize(9);
	pair(t('z.hash'), c.hash);
	pair(t('z.previous_hash'), c.previousHash);
	doc.moveDown(2);
	doc.font('Helvetica').fontSize(8).fillColor('#555555').text(t('z.footer', { version: LIEU_VERSION, date: formatDateTime(now, locale, tz) }), left);
	doc.end();
	return done;
}
