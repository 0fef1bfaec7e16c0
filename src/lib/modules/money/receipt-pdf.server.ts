// The PDF of a till receipt: one page 80 mm wide (a thermal printer's roll), as tall as the receipt.
import PDFDocument from 'pdfkit';
import { translate, type Locale } from '../../i18n';
import type { ReceiptView } from './till';

/** 80 mm in PDF points (72 per inch). */
export const WIDTH_80MM = (80 / 25.4) * 72;
const MARGIN = 10;
const INNER = WIDTH_80MM - 2 * MARGIN;

/** The standard PDF fonts speak WinAnsi: narrow and no-break spaces (Intl's French format) become spaces. */
function ascii(s: string): string {
	return s.replace(/[\u00a0\u202f\u2009]/g, ' ');
}

function draw(doc: PDFKit.PDFDocument, v: ReceiptView, locale: Locale): number {
	const t = (k: string, p?: Record<string, string | number>) => ascii(translate(locale, k, p));
	const line = (text: string, opts: PDFKit.Mixins.TextOptions = {}) => doc.text(ascii(text), MARGIN, doc.y, { width: INNER, ...opts });
	const pair = (left: string, right: string, bold = false) => {
		const y = doc.y;
		doc.font(bold ? 'Helvetica-Bold' : 'Helvetica');
		doc.text(ascii(left), MARGIN, y, { width: INNER * 0.62 });
		const yl = doc.y;
		doc.text(ascii(right), MARGIN + INNER * 0.62, y, { width: INNER * 0.38, align: 'right' });
		doc.y = Math.max(yl, doc.y);
		doc.font('Helvetica');
	};
	const rule = () => {
		doc.moveDown(0.3);
		doc.moveTo(MARGIN, doc.y).lineTo(WIDTH_80MM - MARGIN, doc.y).lineWidth(0.5).dash(2, { space: 2 }).stroke().undash();
		doc.moveDown(0.4);
	};
	doc.y = MARGIN;
	if (v.mark) {
		doc.font('Helvetica-Bold').fontSize(14);
		line(`*** ${v.mark} ***`, { align: 'center' });
		doc.font('Helvetica').fontSize(7);
		line(t('till.receipt.training_notice'), { align: 'center' });
		doc.moveDown(0.5);
	}
	doc.font('Helvetica-Bold').fontSize(11);
	line(v.place.name, { align: 'center' });
	doc.font('Helvetica').fontSize(7.5);
	if (v.place.address) line(v.place.address, { align: 'center' });
	if (v.place.siret) line(`${t('till.receipt.siret')} ${v.place.siret}`, { align: 'center' });
	if (v.place.vatNumber) line(`${t('till.receipt.vat_number')} ${v.place.vatNumber}`, { align: 'center' });
	rule();
	doc.font('Helvetica-Bold').fontSize(9);
	line(`${v.title} ${v.number}`);
	doc.font('Helvetica').fontSize(7.5);
	if (v.correctsNumber) line(t('till.receipt.corrects', { number: v.correctsNumber }));
	line(`${t('till.receipt.date')} : ${v.dateTime}`);
	line(`${t('till.receipt.till')} ${v.till} · ${t('till.receipt.operator')} ${v.operator}`);
	rule();
	for (const l of v.lines) {
		pair(`${l.quantity} × ${l.label}`, l.total);
		doc.fillColor('#333');
		line(`   ${l.quantity} × ${l.unitPrice} · ${t('till.receipt.vat')} ${l.rate} · ${l.context}`);
		doc.fillColor('#000');
	}
	rule();
	doc.font('Helvetica-Bold');
	line(t('till.receipt.per_rate'));
	doc.font('Helvetica');
	for (const x of v.rates) pair(`${t('till.receipt.vat')} ${x.rate} : ${t('till.receipt.ht')} ${x.ht} · ${t('till.receipt.vat')} ${x.vat}`, `${t('till.receipt.ttc')} ${x.ttc}`);
	doc.moveDown(0.3);
	pair(t('till.receipt.total_ht'), v.totalHt);
	pair(t('till.receipt.total_vat'), v.totalVat);
	doc.fontSize(10);
	pair(t('till.receipt.total_ttc'), v.total, true);
	doc.fontSize(7.5);
	rule();
	for (const p of v.payments) pair(p.method, p.amount);
	rule();
	doc.font('Courier').fontSize(6.5);
	line(`${t('till.receipt.hash')} ${v.hashPrefix}`, { align: 'center' });
	doc.font('Helvetica').fontSize(7.5);
	if (v.mark) {
		doc.font('Helvetica-Bold').fontSize(14);
		line(`*** ${v.mark} ***`, { align: 'center' });
	} else line(t('till.receipt.thanks'), { align: 'center' });
	return doc.y + 2 * MARGIN;
}

function makeDoc(height: number, v: ReceiptView, locale: Locale) {
	return new PDFDocument({
		size: [WIDTH_80MM, height],
		margins: { top: MARGIN, bottom: 0, left: MARGIN, right: MARGIN },
		info: { Title: `${v.title} ${v.number}`, Author: v.place.name, Subject: v.mark ?? '' },
		lang: locale,
		compress: true
	});
}

/** The receipt as a PDF (Buffer): measured first, then drawn on a page exactly as tall as its content. */
export async function receiptPdf(v: ReceiptView, locale: Locale): Promise<Buffer> {
	// why: pdfkit has no "auto height" page: a first pass on a very tall page measures the content.
	const probe = makeDoc(14_400, v, locale);
	const height = Math.ceil(draw(probe, v, locale));
	probe.end();
	const doc = makeDoc(Math.max(height, 200), v, locale);
	const chunks: Buffer[] = [];
	const done = new Promise<Buffer>((resolve, reject) => {
		doc.on('data', (c: Buffer) => chunks.push(c));
		doc.on('end', () => resolve(Buffer.concat(chunks)));
		doc.on('error', reject);
	});
	draw(doc, v, locale);
	doc.end();
	return done;
}
