// The Factur-X builder: well-formed CII XML with the BASIC guideline, seller, buyer, lines, VAT breakdown,
// monetary summation and due date, amounts that add up; the PDF/A-3 carries it as an embedded file.
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildFacturX, FACTURX_GUIDELINE, xmlEscape, type CiiDocument } from './facturx';
import { buildInvoiceLine, invoiceTotals } from './invoice-rules';
import { renderInvoicePdf } from './invoice-pdf.server';
import type { InvoiceSeller } from './invoice-schema';
import type { Invoice } from './invoices.server';

interface XmlNode {
	name: string;
	attrs: Record<string, string>;
	children: XmlNode[];
	text: string;
}

/** A strict little XML parser (elements, attributes, text, the five entities): throws on anything ill-formed. */
function parseXml(src: string): XmlNode {
	let i = 0;
	const decl = /^<\?xml[^?]*\?>\s*/.exec(src);
	if (decl) i = decl[0].length;
	const decode = (s: string) => {
		if (/&(?!(amp|lt|gt|quot|apos);)/.test(s)) throw new Error(`bad entity in ${s}`);
		if (/[<]/.test(s)) throw new Error('< in text');
		return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
	};
	function element(): XmlNode {
		const open = /^<([A-Za-z_][\w.-]*(?::[\w.-]+)?)((?:\s+[\w:.-]+="[^"]*")*)\s*(\/?)>/.exec(src.slice(i));
		if (!open) throw new Error(`expected an element at ${i}: ${src.slice(i, i + 40)}`);
		i += open[0].length;
		const attrs: Record<string, string> = {};
		for (const m of open[2].matchAll(/([\w:.-]+)="([^"]*)"/g)) {
			if (m[1] in attrs) throw new Error(`duplicate attribute ${m[1]}`);
			attrs[m[1]] = decode(m[2]);
		}
		const node: XmlNode = { name: open[1], attrs, children: [], text: '' };
		if (open[3]) return node;
		for (;;) {
			const close = src.indexOf('<', i);
			if (close < 0) throw new Error(`unclosed ${node.name}`);
			node.text += decode(src.slice(i, close));
			i = close;
			if (src.startsWith(`</${node.name}>`, i)) {
				i += node.name.length + 3;
				return node;
			}
			if (src.startsWith('</', i)) throw new Error(`mismatched close at ${i}: ${src.slice(i, i + 40)} (open ${node.name})`);
			node.children.push(element());
		}
	}
	const root = element();
	if (src.slice(i).trim()) throw new Error('content after the root element');
	return root;
}

/** All descendants along a path of element names ("a/b/c"). */
function all(node: XmlNode, path: string): XmlNode[] {
	let level = [node];
	for (const part of path.split('/')) level = level.flatMap((n) => n.children.filter((c) => c.name === part));
	return level;
}
const one = (node: XmlNode, path: string) => {
	const found = all(node, path);
	expect(found, path).toHaveLength(1);
	return found[0];
};
const cents = (s: string) => Math.round(Number(s) * 100);

const seller: InvoiceSeller = {
	name: 'La Tréso & Cie <coop>',
	address: '6 rue Gambetta, 92240 Malakoff',
	legalForm: 'scic',
	siret: '98765432100015',
	vatNumber: 'FR45987654321',
	vatRegime: 'normal',
	vatOnDebits: false,
	shareCapitalCents: 1_250_000,
	variableCapital: true,
	registration: 'RCS Nanterre 987 654 321',
	iban: 'FR7630006000011234567890189',
	bic: 'AGRIFRPP',
	latePenaltyRateBp: 1000,
	footer: ''
};
const lines = [
	buildInvoiceLine({ label: 'Location de l’atelier — mars', quantityMilli: 1000, unitPriceCents: 45000, vat: '2000' }),
	buildInvoiceLine({ label: 'Découpeuse laser "Trotec" (h)', quantityMilli: 2500, unitPriceCents: 2333, vat: '2000' }),
	buildInvoiceLine({ label: 'Café d’accueil', quantityMilli: 12000, unitPriceCents: 136, vat: '1000' }),
	buildInvoiceLine({ label: 'Formation CNC', quantityMilli: 1000, unitPriceCents: 30000, vat: 'exempt_training' })
];
const t = invoiceTotals(lines);
const doc: CiiDocument = {
	kind: 'invoice',
	reference: 'F-2026-000042',
	issueDate: '2026-03-10',
	supplyDate: '2026-03-01',
	dueDate: '2026-04-09',
	seller,
	customer: { kind: 'business', name: 'Atelier Bois SARL', address: '12 av. Pierre Larousse', postcode: '92240', city: 'Malakoff', country: 'FR', siret: '12345678900012', vatNumber: 'FR12123456789', email: 'compta@bois.test' },
	lines,
	totals: t.totals,
	totalHtCents: t.htCents,
	totalVatCents: t.vatCents,
	totalTtcCents: t.ttcCents,
	note: 'Commande n° 17'
};

describe('Factur-X CII XML (BASIC)', () => {
	it('is well-formed, declares the BASIC guideline and type 380, and names seller and buyer', () => {
		const xml = buildFacturX(doc);
		const root = parseXml(xml);
		expect(root.name).toBe('rsm:CrossIndustryInvoice');
		expect(root.attrs['xmlns:ram']).toBe('urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100');
		expect(one(root, 'rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID').text).toBe(FACTURX_GUIDELINE);
		expect(FACTURX_GUIDELINE).toBe('urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic');
		expect(one(root, 'rsm:ExchangedDocument/ram:ID').text).toBe('F-2026-000042');
		expect(one(root, 'rsm:ExchangedDocument/ram:TypeCode').text).toBe('380');
		expect(one(root, 'rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString').text).toBe('20260310');
		const agreement = one(root, 'rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement');
		expect(one(agreement, 'ram:SellerTradeParty/ram:Name').text).toBe('La Tréso & Cie <coop>');
		expect(xml).toContain('La Tréso &amp; Cie &lt;coop&gt;');
		expect(one(agreement, 'ram:SellerTradeParty/ram:SpecifiedLegalOrganization/ram:ID').text).toBe('987654321');
		expect(one(agreement, 'ram:SellerTradeParty/ram:SpecifiedTaxRegistration/ram:ID').attrs.schemeID).toBe('VA');
		expect(one(agreement, 'ram:SellerTradeParty/ram:PostalTradeAddress/ram:PostcodeCode').text).toBe('92240');
		expect(one(agreement, 'ram:BuyerTradeParty/ram:Name').text).toBe('Atelier Bois SARL');
		expect(one(agreement, 'ram:BuyerTradeParty/ram:SpecifiedLegalOrganization/ram:ID').text).toBe('123456789');
		expect(one(agreement, 'ram:BuyerTradeParty/ram:PostalTradeAddress/ram:CountryID').text).toBe('FR');
		expect(one(agreement, 'ram:BuyerTradeParty/ram:SpecifiedTaxRegistration/ram:ID').text).toBe('FR12123456789');
		const tx = one(root, 'rsm:SupplyChainTradeTransaction');
		expect(one(tx, 'ram:ApplicableHeaderTradeDelivery/ram:ActualDeliverySupplyChainEvent/ram:OccurrenceDateTime/udt:DateTimeString').text).toBe('20260301');
		const settlement = one(tx, 'ram:ApplicableHeaderTradeSettlement');
		expect(one(settlement, 'ram:InvoiceCurrencyCode').text).toBe('EUR');
		expect(one(settlement, 'ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/udt:DateTimeString').text).toBe('20260409');
		expect(one(settlement, 'ram:SpecifiedTradeSettlementPaymentMeans/ram:PayeePartyCreditorFinancialAccount/ram:IBANID').text).toBe(seller.iban);
		// the order of the header's children is fixed by the CII schema
		expect(tx.children.map((c) => c.name)).toEqual([...lines.map(() => 'ram:IncludedSupplyChainTradeLineItem'), 'ram:ApplicableHeaderTradeAgreement', 'ram:ApplicableHeaderTradeDelivery', 'ram:ApplicableHeaderTradeSettlement']);
	});

	it('amounts add up: lines → VAT breakdown → monetary summation (EN 16931 BR-CO rules)', () => {
		const root = parseXml(buildFacturX(doc));
		const tx = one(root, 'rsm:SupplyChainTradeTransaction');
		const items = all(tx, 'ram:IncludedSupplyChainTradeLineItem');
		expect(items).toHaveLength(4);
		let lineSum = 0;
		const perCategory = new Map<string, number>();
		for (const [n, item] of items.entries()) {
			expect(one(item, 'ram:AssociatedDocumentLineDocument/ram:LineID').text).toBe(String(n + 1));
			const price = cents(one(item, 'ram:SpecifiedLineTradeAgreement/ram:NetPriceProductTradePrice/ram:ChargeAmount').text);
			const qty = Number(one(item, 'ram:SpecifiedLineTradeDelivery/ram:BilledQuantity').text);
			const total = cents(one(item, 'ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount').text);
			expect(Math.abs(total - price * qty)).toBeLessThanOrEqual(0.5); // BR-LIN: net amount = price × quantity (rounded)
			const tax = one(item, 'ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax');
			const key = `${one(tax, 'ram:CategoryCode').text}/${one(tax, 'ram:RateApplicablePercent').text}`;
			perCategory.set(key, (perCategory.get(key) ?? 0) + total);
			lineSum += total;
		}
		const settlement = one(tx, 'ram:ApplicableHeaderTradeSettlement');
		const taxes = all(settlement, 'ram:ApplicableTradeTax');
		expect(taxes.map((x) => `${one(x, 'ram:CategoryCode').text}/${one(x, 'ram:RateApplicablePercent').text}`)).toEqual(['S/20.00', 'S/10.00', 'E/0.00']);
		let taxSum = 0;
		let basisSum = 0;
		for (const x of taxes) {
			const key = `${one(x, 'ram:CategoryCode').text}/${one(x, 'ram:RateApplicablePercent').text}`;
			const basis = cents(one(x, 'ram:BasisAmount').text);
			const calculated = cents(one(x, 'ram:CalculatedAmount').text);
			expect(basis).toBe(perCategory.get(key)); // BR-CO-18 per category
			expect(calculated).toBe(Math.round((basis * Number(one(x, 'ram:RateApplicablePercent').text)) / 100)); // BR-CO-17
			if (key.startsWith('E')) expect(one(x, 'ram:ExemptionReason').text).toContain('261-4-4° a');
			taxSum += calculated;
			basisSum += basis;
		}
		const sum = one(settlement, 'ram:SpecifiedTradeSettlementHeaderMonetarySummation');
		expect(sum.children.map((c) => c.name)).toEqual(['ram:LineTotalAmount', 'ram:TaxBasisTotalAmount', 'ram:TaxTotalAmount', 'ram:GrandTotalAmount', 'ram:DuePayableAmount']);
		expect(cents(one(sum, 'ram:LineTotalAmount').text)).toBe(lineSum);
		expect(cents(one(sum, 'ram:TaxBasisTotalAmount').text)).toBe(basisSum);
		expect(cents(one(sum, 'ram:TaxTotalAmount').text)).toBe(taxSum);
		expect(one(sum, 'ram:TaxTotalAmount').attrs.currencyID).toBe('EUR');
		expect(cents(one(sum, 'ram:GrandTotalAmount').text)).toBe(basisSum + taxSum);
		expect(cents(one(sum, 'ram:GrandTotalAmount').text)).toBe(t.ttcCents);
		expect(cents(one(sum, 'ram:DuePayableAmount').text)).toBe(t.ttcCents);
		expect(lineSum).toBe(45000 + 5833 + 1632 + 30000);
	});

	it('a credit note is type 381 and references the invoice it credits', () => {
		const root = parseXml(buildFacturX({ ...doc, kind: 'credit_note', reference: 'AV-2026-000001', credited: { reference: 'F-2026-000042', issueDate: '2026-03-10' } }));
		expect(one(root, 'rsm:ExchangedDocument/ram:TypeCode').text).toBe('381');
		const ref = one(root, 'rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/ram:InvoiceReferencedDocument');
		expect(one(ref, 'ram:IssuerAssignedID').text).toBe('F-2026-000042');
		expect(one(ref, 'ram:FormattedIssueDateTime/qdt:DateTimeString').text).toBe('20260310');
	});

	it('escapes markup and drops characters XML cannot hold', () => {
		expect(xmlEscape('a&b<c>"d\'\u0001')).toBe('a&amp;b&lt;c&gt;&quot;d&apos;');
		expect(() => parseXml(buildFacturX({ ...doc, note: 'x\u0000y & <z>' }))).not.toThrow();
	});
});

/** The PDF's streams, inflated when compressed. */
function streams(pdf: Buffer): string[] {
	const out: string[] = [];
	const bin = pdf.toString('latin1');
	for (const m of bin.matchAll(/stream\r?\n/g)) {
		const start = m.index! + m[0].length;
		const end = bin.indexOf('endstream', start);
		const raw = pdf.subarray(start, end);
		try {
			out.push(zlib.inflateSync(raw).toString('utf8'));
		} catch {
			out.push(raw.toString('utf8'));
		}
	}
	return out;
}

describe('invoice PDF and Factur-X PDF/A-3', () => {
	const invoice = { id: 'i1', placeId: 'p', number: 42, issuedAt: new Date('2026-03-10T09:00:00Z'), creditedInvoiceId: null, createdBy: null, ...doc } as unknown as Invoice;

	it('the Factur-X PDF embeds factur-x.xml (AFRelationship, /AF), the fx: XMP and pdfaid part 3', async () => {
		const pdf = await renderInvoicePdf({ invoice, credited: null }, { locale: 'fr', facturx: true });
		expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
		const bin = pdf.toString('latin1');
		expect(bin).toContain('/EmbeddedFiles');
		expect(bin).toMatch(/\/AFRelationship \/Data/);
		expect(bin).toMatch(/\/AF \[\d+ 0 R\]/);
		expect(bin).toContain('/F (factur-x.xml)');
		expect(bin).toContain('/Subtype /text#2Fxml');
		expect(bin).toContain('/OutputIntents');
		const all = streams(pdf);
		const xmp = all.find((s) => s.includes('x:xmpmeta'));
		expect(xmp).toBeDefined();
		expect(xmp).toContain('<pdfaid:part>3</pdfaid:part>');
		expect(xmp).toContain('<pdfaid:conformance>B</pdfaid:conformance>');
		expect(xmp).toContain('<fx:DocumentType>INVOICE</fx:DocumentType>');
		expect(xmp).toContain('<fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>');
		expect(xmp).toContain('<fx:Version>1.0</fx:Version>');
		expect(xmp).toContain('<fx:ConformanceLevel>BASIC</fx:ConformanceLevel>');
		expect(xmp).toContain('<pdfaSchema:prefix>fx</pdfaSchema:prefix>');
		const xml = all.find((s) => s.includes('rsm:CrossIndustryInvoice'));
		expect(xml).toBe(buildFacturX(doc));
		// fonts are embedded (PDF/A): no standard 14 font without a font file
		expect(bin).toContain('/FontFile2');
		expect(bin).not.toContain('/BaseFont /Helvetica');
	});

	it('the plain PDF (English) has no attachment and shows the totals', async () => {
		const pdf = await renderInvoicePdf({ invoice, credited: null }, { locale: 'en', facturx: false });
		expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
		expect(pdf.toString('latin1')).not.toContain('/EmbeddedFiles');
		expect(pdf.toString('latin1')).toContain('(Invoice F-2026-000042)');
	});
});
