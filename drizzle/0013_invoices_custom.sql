-- Invoices and credit notes (decision 010). Self-contained: needs only lieu_refuse_change() (drizzle/0001)
-- and the tables of the invoices migration.
-- why: an issued invoice or credit note is a legal document (CGI ann. II art. 242 nonies A): it is never
-- changed nor deleted, corrections are credit notes. The database itself refuses, not only the app.
CREATE TRIGGER invoice_append_only BEFORE UPDATE OR DELETE ON "invoice"
  FOR EACH ROW EXECUTE FUNCTION lieu_refuse_change();
--> statement-breakpoint
CREATE TRIGGER invoice_no_truncate BEFORE TRUNCATE ON "invoice"
  FOR EACH STATEMENT EXECUTE FUNCTION lieu_refuse_change();
--> statement-breakpoint
-- why: a credit note references an invoice of the same place (self reference, not expressible in the DSL).
ALTER TABLE "invoice" ADD CONSTRAINT "invoice_credited_fk" FOREIGN KEY ("credited_invoice_id") REFERENCES "invoice"("id");
--> statement-breakpoint
-- why: a recorded payment is evidence too; a mistake is not erased silently.
CREATE TRIGGER invoice_payment_append_only BEFORE UPDATE OR DELETE ON "invoice_payment"
  FOR EACH ROW EXECUTE FUNCTION lieu_refuse_change();
