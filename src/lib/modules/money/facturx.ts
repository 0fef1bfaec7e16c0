// Factur-X 1.0 (= ZUGFeRD 2.x), BASIC profile: the UN/CEFACT Cross Industry Invoice XML embedded in the
// PDF/A-3 invoice as factur-x.xml, and the XMP metadata that announces it. Pure: no I/O. Decision 010.
import type { InvoiceCustomer, InvoiceKind, InvoiceLine, InvoiceRateTotal, InvoiceSeller } from './invoice-schema';
import { EXEMPTION_KEYS, sirenOf, splitAddress } from './invoice-rules';

export const FACTURX_GUIDELINE = 'urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic';
export const FACTURX_FILENAME = 'factur-x.xml';

/** What the XML needs of an invoice or credit note (amounts in cents, dates YYYY-MM-DD). */
export interface CiiDocument {
	kind: InvoiceKind;
	reference: string;
	issueDate: string;
	supplyDate: string | null;
	dueDate: string;
	seller: InvoiceSeller;
	customer: InvoiceCustomer;
	lines: readonly InvoiceLine[];
	totals: readonly InvoiceRateTotal[];
	totalHtCents: number;
	totalVatCents: number;
	totalTtcCents: number;
	note: string;
	credited?: { reference: string; issueDate: string } | null;
}

/** Escapes text for XML element content and attribute values; drops characters XML 1.0 cannot hold. */
export function xmlEscape(s: string): string {
	return s
		// eslint-disable-next-line no-control-regex
		.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&apos;');
}

/** Cents as a decimal amount with two decimals ("1234.50"). */
export function amount(cents: number): string {
	const sign = cents < 0 ? '-' : '';
	const abs = Math.abs(cents);
	return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Thousandths as a quantity with up to four decimals ("1.5000"). */
function quantity(milli: number): string {
	return (milli / 1000).toFixed(4);
}

/** Basis points as a percentage ("20.00"). */
function percent(bp: number): string {
	return amount(bp);
}

const d102 = (iso: string) => iso.replace(/-/g, '');

/** VAT category (UNTDID 5305): S standard rate, E exempt (with the legal reference as reason). */
function category(vat: InvoiceLine['vat']): 'S' | 'E' {
	return EXEMPTION_KEYS[vat] ? 'E' : 'S';
}

/** French exemption wording for the XML (the structured document is in French whatever the PDF language). */
const EXEMPTION_TEXT: Record<string, string> = {
	exempt_training: 'Exonération de TVA, art. 261-4-4° a du CGI',
	exempt_rental: 'Exonération de TVA, art. 261 D 2° du CGI',
	franchise: 'TVA non applicable, art. 293 B du CGI'
};

function el(name: string, content: string, attrs: Record<string, string> = {}): string {
	const a = Object.entries(attrs)
		.map(([k, v]) => ` ${k}="${xmlEscape(v)}"`)
		.join('');
	return `<${name}${a}>${content}</${name}>`;
}
const txt = (name: string, value: string, attrs?: Record<string, string>) => el(name, xmlEscape(value), attrs);
const date102 = (wrapper: string, iso: string, ns = 'udt') => el(wrapper, el(`${ns}:DateTimeString`, d102(iso), { format: '102' }));

function address(a: { line: string; postcode: string; city: string; country: string }): string {
	return el(
		'ram:PostalTradeAddress',
		(a.postcode ? txt('ram:PostcodeCode', a.postcode) : '') + (a.line ? txt('ram:LineOne', a.line) : '') + (a.city ? txt('ram:CityName', a.city) : '') + txt('ram:CountryID', a.country)
	);
}

function sellerParty(s: InvoiceSeller): string {
	const a = splitAddress(s.address);
	return el(
		'ram:SellerTradeParty',
		txt('ram:Name', s.name) +
			(s.siret ? el('ram:SpecifiedLegalOrganization', txt('ram:ID', sirenOf(s.siret), { schemeID: '0002' })) : '') +
			address({ ...a, country: 'FR' }) +
			(s.vatNumber ? el('ram:SpecifiedTaxRegistration', txt('ram:ID', s.vatNumber, { schemeID: 'VA' })) : '')
	);
}

function buyerParty(c: InvoiceCustomer): string {
	return el(
		'ram:BuyerTradeParty',
		txt('ram:Name', c.name) +
			(c.siret ? el('ram:SpecifiedLegalOrganization', txt('ram:ID', sirenOf(c.siret), { schemeID: '0002' })) : '') +
			address({ line: c.address, postcode: c.postcode, city: c.city, country: c.country || 'FR' }) +
			(c.email ? el('ram:URIUniversalCommunication', txt('ram:URIID', c.email, { schemeID: 'EM' })) : '') +
			(c.vatNumber ? el('ram:SpecifiedTaxRegistration', txt('ram:ID', c.vatNumber, { schemeID: 'VA' })) : '')
	);
}

function tradeTax(vat: InvoiceLine['vat'], rateBp: number, amounts?: { basis: number; calculated: number }): string {
	const cat = category(vat);
	return el(
		'ram:ApplicableTradeTax',
		(amounts ? txt('ram:CalculatedAmount', amount(amounts.calculated)) : '') +
			txt('ram:TypeCode', 'VAT') +
			(amounts && cat === 'E' ? txt('ram:ExemptionReason', EXEMPTION_TEXT[vat] ?? 'Exonération') : '') +
			(amounts ? txt('ram:BasisAmount', amount(amounts.basis)) : '') +
			txt('ram:CategoryCode', cat) +
			txt('ram:RateApplicablePercent', percent(rateBp))
	);
}

/**
 * The CII XML of an invoice (type 380) or credit note (type 381), BASIC profile: seller and buyer, lines,
 * VAT breakdown, payment terms with the due date, monetary summation; a credit note references its invoice.
 */
export function buildFacturX(d: CiiDocument): string {
	const lines = d.lines
		.map((l, i) =>
			el(
				'ram:IncludedSupplyChainTradeLineItem',
				el('ram:AssociatedDocumentLineDocument', txt('ram:LineID', String(i + 1))) +
					el('ram:SpecifiedTradeProduct', txt('ram:Name', l.label)) +
					el('ram:SpecifiedLineTradeAgreement', el('ram:NetPriceProductTradePrice', txt('ram:ChargeAmount', amount(l.unitPriceCents)))) +
					el('ram:SpecifiedLineTradeDelivery', txt('ram:BilledQuantity', quantity(l.quantityMilli), { unitCode: 'C62' })) +
					el('ram:SpecifiedLineTradeSettlement', tradeTax(l.vat, l.rateBp) + el('ram:SpecifiedTradeSettlementLineMonetarySummation', txt('ram:LineTotalAmount', amount(l.htCents))))
			)
		)
		.join('');
	const notes = [d.note, ...(d.kind === 'credit_note' && d.credited ? [`Avoir sur la facture ${d.credited.reference}`] : [])].filter(Boolean);
	const iban = d.seller.iban
		? el('ram:SpecifiedTradeSettlementPaymentMeans', txt('ram:TypeCode', '58') + el('ram:PayeePartyCreditorFinancialAccount', txt('ram:IBANID', d.seller.iban)))
		: '';
	const terms = el(
		'ram:SpecifiedTradePaymentTerms',
		txt('ram:Description', `Pénalités de retard : ${percent(d.seller.latePenaltyRateBp)} % par an. Pas d'escompte pour paiement anticipé.${d.customer.kind === 'business' ? ' Indemnité forfaitaire pour frais de recouvrement : 40 EUR.' : ''}`) +
			date102('ram:DueDateDateTime', d.dueDate)
	);
	return (
		'<?xml version="1.0" encoding="UTF-8"?>\n' +
		el(
			'rsm:CrossIndustryInvoice',
			el('rsm:ExchangedDocumentContext', el('ram:GuidelineSpecifiedDocumentContextParameter', txt('ram:ID', FACTURX_GUIDELINE))) +
				el(
					'rsm:ExchangedDocument',
					txt('ram:ID', d.reference) +
						txt('ram:TypeCode', d.kind === 'invoice' ? '380' : '381') +
						date102('ram:IssueDateTime', d.issueDate) +
						notes.map((n) => el('ram:IncludedNote', txt('ram:Content', n))).join('')
				) +
				el(
					'rsm:SupplyChainTradeTransaction',
					lines +
						el('ram:ApplicableHeaderTradeAgreement', sellerParty(d.seller) + buyerParty(d.customer)) +
						el('ram:ApplicableHeaderTradeDelivery', d.supplyDate ? el('ram:ActualDeliverySupplyChainEvent', date102('ram:OccurrenceDateTime', d.supplyDate)) : '') +
						el(
							'ram:ApplicableHeaderTradeSettlement',
							txt('ram:InvoiceCurrencyCode', 'EUR') +
								iban +
								d.totals.map((t) => tradeTax(t.vat, t.rateBp, { basis: t.htCents, calculated: t.vatCents })).join('') +
								terms +
								el(
									'ram:SpecifiedTradeSettlementHeaderMonetarySummation',
									txt('ram:LineTotalAmount', amount(d.lines.reduce((s, l) => s + l.htCents, 0))) +
										txt('ram:TaxBasisTotalAmount', amount(d.totalHtCents)) +
										txt('ram:TaxTotalAmount', amount(d.totalVatCents), { currencyID: 'EUR' }) +
										txt('ram:GrandTotalAmount', amount(d.totalTtcCents)) +
										txt('ram:DuePayableAmount', amount(d.totalTtcCents))
								) +
								(d.kind === 'credit_note' && d.credited
									? el('ram:InvoiceReferencedDocument', txt('ram:IssuerAssignedID', d.credited.reference) + date102('ram:FormattedIssueDateTime', d.credited.issueDate, 'qdt'))
									: '')
						)
				),
			{
				'xmlns:rsm': 'urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100',
				'xmlns:qdt': 'urn:un:unece:uncefact:data:standard:QualifiedDataType:100',
				'xmlns:ram': 'urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100',
				'xmlns:udt': 'urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100'
			}
		)
	);
}

/**
 * The XMP that announces the Factur-X attachment: the fx: properties and their PDF/A extension schema
 * description (PDF/A requires custom XMP properties to be declared). DocumentType is INVOICE for credit
 * notes too (Factur-X 1.0); the XML's TypeCode (381) tells them apart.
 */
export function facturXXmp(): string {
	return `
<rdf:Description rdf:about="" xmlns:fx="urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#">
  <fx:DocumentType>INVOICE</fx:DocumentType>
  <fx:DocumentFileName>${FACTURX_FILENAME}</fx:DocumentFileName>
  <fx:Version>1.0</fx:Version>
  <fx:ConformanceLevel>BASIC</fx:ConformanceLevel>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
  <pdfaExtension:schemas>
    <rdf:Bag>
      <rdf:li rdf:parseType="Resource">
        <pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>
        <pdfaSchema:namespaceURI>urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#</pdfaSchema:namespaceURI>
        <pdfaSchema:prefix>fx</pdfaSchema:prefix>
        <pdfaSchema:property>
          <rdf:Seq>
            <rdf:li rdf:parseType="Resource"><pdfaProperty:name>DocumentFileName</pdfaProperty:name><pdfaProperty:valueType>Text</pdfaProperty:valueType><pdfaProperty:category>external</pdfaProperty:category><pdfaProperty:description>name of the embedded XML invoice file</pdfaProperty:description></rdf:li>
            <rdf:li rdf:parseType="Resource"><pdfaProperty:name>DocumentType</pdfaProperty:name><pdfaProperty:valueType>Text</pdfaProperty:valueType><pdfaProperty:category>external</pdfaProperty:category><pdfaProperty:description>INVOICE</pdfaProperty:description></rdf:li>
            <rdf:li rdf:parseType="Resource"><pdfaProperty:name>Version</pdfaProperty:name><pdfaProperty:valueType>Text</pdfaProperty:valueType><pdfaProperty:category>external</pdfaProperty:category><pdfaProperty:description>The actual version of the Factur-X XML schema</pdfaProperty:description></rdf:li>
            <rdf:li rdf:parseType="Resource"><pdfaProperty:name>ConformanceLevel</pdfaProperty:name><pdfaProperty:valueType>Text</pdfaProperty:valueType><pdfaProperty:category>external</pdfaProperty:category><pdfaProperty:description>The conformance level of the embedded Factur-X data</pdfaProperty:description></rdf:li>
          </rdf:Seq>
        </pdfaSchema:property>
      </rdf:li>
    </rdf:Bag>
  </pdfaExtension:schemas>
</rdf:Description>`;
}
