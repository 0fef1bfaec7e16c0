// The PDF of an invoice or credit note (A4, French or English, pdfkit), and its Factur-X form: a PDF/A-3b
// with embedded fonts, factur-x.xml attached (AFRelationship Data, listed in the catalog's /AF) and the
// Factur-X XMP. Decision 010.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import { formatMoney, translator, type Locale } from '../../i18n';
import type { Invoice } from './invoices.server';
import { EXEMPTION_KEYS, formatQuantity, formatRate, invoiceMentions, sellerIdentity } from './invoice-rules';
import { buildFacturX, facturXXmp, FACTURX_FILENAME } from './facturx';

const FONT_FILES = { regular: 'atkinson-hyperlegible-latin-400-normal.woff', bold: 'atkinson-hyperlegible-latin-700-normal.woff' };
let fonts: { regular: Buffer; bold: Buffer } | undefined;

/** The embedded fonts (Atkinson Hyperlegible, the app's own typeface), read once. */
function loadFonts(): { regular: Buffer; bold: Buffer } {
	if (fonts) return fonts;
	const read = (file: string): Buffer => {
		const candidates: string[] = [];
		try {
			candidates.push(createRequire(import.meta.url).resolve(`@fontsource/atkinson-hyperlegible/files/${file}`));
		} catch {
			/* resolved from the working directory below */
		}
		candidates.push(path.resolve('node_modules/@fontsource/atkinson-hyperlegible/files', file));
		for (const c of candidates) if (fs.existsSync(c)) return fs.readFileSync(c);
		throw new Error(`font ${file} not found`);
	};
	fonts = { regular: read(FONT_FILES.regular), bold: read(FONT_FILES.bold) };
	return fonts;
}

export interface PdfInvoice {
	invoice: Invoice;
	credited: { reference: string; issueDate: string } | null;
}

const A4 = { width: 595.28, height: 841.89 };
const M = 48;
const INK = '#1f2328';
const MUTED = '#57606a';
const ACCENT = '#0b6e4f';
const RULE = '#d0d7de';

/**
 * Renders the invoice or credit note. `facturx`: PDF/A-3b with the CII XML attached (for business
 * customers). Dates as in the place's zone (stored as YYYY-MM-DD already).
 */
export async function renderInvoicePdf(d: PdfInvoice, opts: { locale: Locale; facturx?: boolean }): Promise<Buffer> {
	const inv = d.invoice;
	const locale = opts.locale;
	const t = translator(locale);
	const f = loadFonts();
	const title = `${t(inv.kind === 'invoice' ? 'invoice.kind.invoice' : 'invoice.kind.credit_note')} ${inv.reference}`;
	const doc = new PDFDocument({
		size: 'A4',
		margin: M,
		font: f.regular as unknown as string,
		pdfVersion: '1.7',
		lang: locale === 'fr' ? 'fr-FR' : 'en-GB',
		displayTitle: true,
		bufferPages: true,
		info: { Title: title, Author: inv.seller.name, Subject: title, Creator: 'Lieu', Producer: 'Lieu (pdfkit)', CreationDate: inv.issuedAt },
		...(opts.facturx ? { subset: 'PDF/A-3b' as const } : {})
	} as PDFKit.PDFDocumentOptions);
	doc.registerFont('regular', f.regular as unknown as string);
	doc.registerFont('bold', f.bold as unknown as string);
	const chunks: Buffer[] = [];
	doc.on('data', (c: Buffer) => chunks.push(c));
	const done = new Promise<Buffer>((resolve, reject) => {
		doc.on('end', () => resolve(Buffer.concat(chunks)));
		doc.on('error', reject);
	});

	const money = (c: number) => clean(formatMoney(c, locale));
	const date = (iso: string) => clean(new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${iso}T12:00:00Z`)));
	const rate = (bp: number) => clean(formatRate(bp, locale));
	const vatLabel = (code: string, bp: number) => (EXEMPTION_KEYS[code as keyof typeof EXEMPTION_KEYS] ? t(`invoice.vat.${code}`) : rate(bp));
	const vatShort = (code: string, bp: number) => (EXEMPTION_KEYS[code as keyof typeof EXEMPTION_KEYS] ? t(`invoice.vat_short.${code}`) : rate(bp));
	const W = A4.width - 2 * M;

	// Header: the seller on the left, the document's title and dates on the right.
	let y = M;
	doc.font('bold').fontSize(16).fillColor(INK).text(clean(inv.seller.name), M, y, { width: W * 0.55 });
	doc.font('regular').fontSize(9).fillColor(MUTED);
	doc.text(clean(inv.seller.address), { width: W * 0.55 });
	if (inv.seller.siret) doc.text(`SIRET ${inv.seller.siret}`, { width: W * 0.55 });
	if (inv.seller.vatNumber) doc.text(clean(t('invoice.vat_number', { number: inv.seller.vatNumber })), { width: W * 0.55 });
	const leftBottom = doc.y;
	const rx = M + W * 0.58;
	const rw = W * 0.42;
	doc.font('bold').fontSize(20).fillColor(ACCENT).text(t(inv.kind === 'invoice' ? 'invoice.doc.invoice' : 'invoice.doc.credit_note'), rx, y, { width: rw, align: 'right' });
	doc.font('regular').fontSize(10).fillColor(INK);
	const meta: Array<[string, string]> = [
		[t('invoice.doc.number'), inv.reference],
		[t('invoice.doc.issue_date'), date(inv.issueDate)]
	];
	if (inv.supplyDate) meta.push([t('invoice.doc.supply_date'), date(inv.supplyDate)]);
	if (inv.kind === 'invoice') meta.push([t('invoice.doc.due_date'), date(inv.dueDate)]);
	for (const [k, v] of meta) {
		const ty = doc.y + 2;
		doc.fillColor(MUTED).text(clean(k), rx, ty, { width: rw * 0.45 });
		doc.fillColor(INK).font('bold').text(clean(v), rx + rw * 0.45, ty, { width: rw * 0.55, align: 'right' });
		doc.font('regular');
	}
	y = Math.max(leftBottom, doc.y) + 20;

	// The customer, in a tinted box.
	const c = inv.customer;
	const customerLines = [
		c.address,
		[c.postcode, c.city].filter(Boolean).join(' '),
		c.country && c.country !== 'FR' ? c.country : '',
		c.siret ? t('invoice.doc.siren', { number: c.siret }) : '',
		c.vatNumber ? t('invoice.doc.customer_vat', { number: c.vatNumber }) : '',
		c.email
	].filter(Boolean);
	const boxX = M + W * 0.5;
	const boxW = W * 0.5;
	doc.font('regular').fontSize(9.5);
	const boxH = 34 + doc.heightOfString(clean(c.name), { width: boxW - 24 }) + customerLines.reduce((h, l) => h + doc.heightOfString(clean(l), { width: boxW - 24 }), 0);
	doc.roundedRect(boxX, y, boxW, boxH, 6).fillColor('#f3f6f4').fill();
	doc.fillColor(MUTED).fontSize(8.5).text(t('invoice.doc.bill_to').toUpperCase(), boxX + 12, y + 10, { width: boxW - 24, characterSpacing: 0.6 });
	doc.fillColor(INK).font('bold').fontSize(10.5).text(clean(c.name), { width: boxW - 24 });
	doc.font('regular').fontSize(9.5);
	for (const l of customerLines) doc.text(clean(l), { width: boxW - 24 });
	y += boxH + 24;

	// Lines.
	const cols = [
		{ key: 'description', w: W * 0.46, align: 'left' as const },
		{ key: 'qty', w: W * 0.1, align: 'right' as const },
		{ key: 'unit_price', w: W * 0.15, align: 'right' as const },
		{ key: 'vat', w: W * 0.12, align: 'right' as const },
		{ key: 'amount_ht', w: W * 0.17, align: 'right' as const }
	];
	const header = () => {
		doc.rect(M, y, W, 20).fillColor(ACCENT).fill();
		let x = M;
		doc.font('bold').fontSize(8.5).fillColor('#ffffff');
		for (const col of cols) {
			doc.text(t(`invoice.doc.${col.key}`), x + 6, y + 6, { width: col.w - 12, align: col.align });
			x += col.w;
		}
		y += 24;
	};
	header();
	doc.font('regular').fontSize(9.5).fillColor(INK);
	for (const l of inv.lines) {
		const cells = [clean(l.label), clean(formatQuantity(l.quantityMilli, locale)), money(l.unitPriceCents), vatShort(l.vat, l.rateBp), money(l.htCents)];
		const h = Math.max(...cells.map((s, i) => doc.heightOfString(s, { width: cols[i].w - 12 }))) + 8;
		if (y + h > A4.height - 220) {
			doc.addPage();
			y = M;
			header();
			doc.font('regular').fontSize(9.5).fillColor(INK);
		}
		let x = M;
		cells.forEach((s, i) => {
			doc.text(s, x + 6, y + 4, { width: cols[i].w - 12, align: cols[i].align });
			x += cols[i].w;
		});
		y += h;
		doc.moveTo(M, y).lineTo(M + W, y).lineWidth(0.5).strokeColor(RULE).stroke();
	}
	y += 14;
	if (y > A4.height - 260) {
		doc.addPage();
		y = M;
	}

	// VAT summary (left) and totals (right).
	const vx = M;
	const vw = W * 0.5;
	doc.font('bold').fontSize(9).fillColor(MUTED).text(t('invoice.doc.vat_totals'), vx, y, { width: vw });
	let vy = doc.y + 4;
	const vcols = [vw * 0.34, vw * 0.22, vw * 0.22, vw * 0.22];
	const vrow = (cells: string[], bold = false) => {
		let x = vx;
		doc.font(bold ? 'bold' : 'regular').fontSize(8.5).fillColor(bold ? MUTED : INK);
		const h = Math.max(...cells.map((s, i) => doc.heightOfString(s, { width: vcols[i] - 4 })));
		cells.forEach((s, i) => {
			doc.text(s, x, vy, { width: vcols[i] - 4, align: i === 0 ? 'left' : 'right' });
			x += vcols[i];
		});
		vy += h + 3;
	};
	vrow([t('invoice.doc.rate'), t('invoice.doc.base'), t('invoice.doc.vat_amount'), t('invoice.doc.ttc')], true);
	for (const r of inv.totals) vrow([vatLabel(r.vat, r.rateBp), money(r.htCents), money(r.vatCents), money(r.ttcCents)]);

	const tx = M + W * 0.58;
	const tw = W * 0.42;
	let ty = y;
	const trow = (label: string, value: string, strong = false) => {
		doc.font(strong ? 'bold' : 'regular').fontSize(strong ? 12 : 10).fillColor(INK);
		doc.text(label, tx, ty, { width: tw * 0.55 });
		doc.text(value, tx + tw * 0.55, ty, { width: tw * 0.45, align: 'right' });
		ty = doc.y + 4;
	};
	trow(t('invoice.doc.total_ht'), money(inv.totalHtCents));
	trow(t('invoice.doc.total_vat'), money(inv.totalVatCents));
	doc.moveTo(tx, ty).lineTo(tx + tw, ty).lineWidth(1).strokeColor(ACCENT).stroke();
	ty += 6;
	trow(t(inv.kind === 'invoice' ? 'invoice.doc.total_ttc' : 'invoice.doc.credit_total'), money(inv.totalTtcCents), true);
	y = Math.max(vy, ty) + 18;

	// Payment details and legal mentions.
	doc.font('regular').fontSize(9).fillColor(INK);
	if (inv.kind === 'invoice' && inv.seller.iban) {
		doc.text(clean(t('invoice.doc.payment', { iban: spaced(inv.seller.iban) }) + (inv.seller.bic ? ` · ${t('invoice.doc.bic', { bic: inv.seller.bic })}` : '')), M, y, { width: W });
		y = doc.y + 8;
	}
	if (inv.note) {
		doc.text(clean(inv.note), M, y, { width: W });
		y = doc.y + 8;
	}
	const mentions = invoiceMentions({ ...inv, credited: d.credited }, t, { date, rate });
	doc.font('bold').fontSize(8.5).fillColor(MUTED).text(t('invoice.doc.mentions'), M, y, { width: W });
	doc.font('regular').fontSize(8).fillColor(MUTED);
	for (const m of mentions) doc.text(clean(m), { width: W });

	// Footer on every page: who issues the document, registered office, free footer text.
	const identity = sellerIdentity(inv.seller, t, money).map(clean);
	if (inv.seller.footer) identity.push(clean(inv.seller.footer));
	const range = doc.bufferedPageRange();
	for (let i = range.start; i < range.start + range.count; i++) {
		doc.switchToPage(i);
		// why: writing below the bottom margin would make pdfkit add a page; lift the margin while drawing.
		const bottom = doc.page.margins.bottom;
		doc.page.margins.bottom = 0;
		doc.font('regular').fontSize(7.5).fillColor(MUTED);
		const text = identity.join('\n');
		const h = doc.heightOfString(text, { width: W, align: 'center' });
		const fy = A4.height - M + 8 - h;
		doc.moveTo(M, fy - 6).lineTo(M + W, fy - 6).lineWidth(0.5).strokeColor(RULE).stroke();
		doc.text(text, M, fy, { width: W, align: 'center' });
		if (range.count > 1) doc.text(`${i + 1}/${range.count}`, M, A4.height - 24, { width: W, align: 'right' });
		doc.page.margins.bottom = bottom;
	}

	if (opts.facturx) {
		const xml = buildFacturX({ ...inv, credited: d.credited });
		doc.file(Buffer.from(xml, 'utf8'), {
			name: FACTURX_FILENAME,
			type: 'text/xml',
			relationship: 'Data',
			description: 'Factur-X invoice (CII, BASIC profile)',
			creationDate: inv.issuedAt,
			modifiedDate: inv.issuedAt
		} as PDFKit.Mixins.PDFAttachmentOptions);
		doc.appendXML(facturXXmp());
	}
	doc.end();
	return done;
}

/** Text the embedded font can draw: narrow no-break spaces become no-break spaces, accents it lacks fall back to the base letter. */
export function clean(s: string): string {
	return s
		.replace(/\u202f/g, '\u00a0')
		.normalize('NFC')
		// eslint-disable-next-line no-control-regex
		.replace(/[^\u0000-\u00ff\u0152\u0153\u0178\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u20ac\u2022]/g, (ch) => {
			const base = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
			// eslint-disable-next-line no-control-regex
			return /^[\u0000-\u00ff]+$/.test(base) ? base : '?';
		});
}

function spaced(iban: string): string {
	return iban.replace(/(.{4})/g, '$1 ').trim();
}

/** The download name of an invoice PDF ("F-2026-000042.pdf", "F-2026-000042-facturx.pdf"). */
export function pdfFileName(reference: string, facturx: boolean): string {
	return `${reference.replace(/[^A-Za-z0-9-]/g, '_')}${facturx ? '-facturx' : ''}.pdf`;
}

/** An HTTP response carrying the PDF as a download. */
export function pdfResponse(pdf: Buffer, fileName: string): Response {
	return new Response(new Uint8Array(pdf), {
		status: 200,
		headers: {
			'content-type': 'application/pdf',
			'content-disposition': `attachment; filename="${fileName}"`,
			'cache-control': 'private, no-store',
			'x-content-type-options': 'nosniff'
		}
	});
}
