-- why: the till journal is fiscal evidence (CGI 286-I-3° bis, inaltérabilité): the database itself refuses to
-- change or remove a receipt, not only the app. Corrections are new (negative) receipts. Bypassing this needs
-- a superuser (session_replication_role = replica), and then the hash chain shows it (ledger verify).
CREATE TRIGGER receipt_append_only BEFORE UPDATE OR DELETE ON "receipt"
  FOR EACH ROW EXECUTE FUNCTION lieu_refuse_change();
--> statement-breakpoint
CREATE TRIGGER receipt_no_truncate BEFORE TRUNCATE ON "receipt"
  FOR EACH STATEMENT EXECUTE FUNCTION lieu_refuse_change();
--> statement-breakpoint
ALTER TABLE "receipt" ADD CONSTRAINT "receipt_corrects_fk" FOREIGN KEY ("corrects_id") REFERENCES "receipt"("id");
--> statement-breakpoint
-- French VAT rates in force since 1 Jan 2014 (CGI 278, 278-0 bis A, 279 m and n); rate_bp in basis points.
-- A future change is a new row with valid_from, and valid_to set on the old one: past receipts keep their rate.
INSERT INTO "vat_rate" ("category", "context", "rate_bp", "outside_scope", "valid_from") VALUES
  ('food', 'on_site', 1000, false, '2014-01-01'),
  ('food', 'takeaway_now', 1000, false, '2014-01-01'),
  ('food', 'takeaway_later', 550, false, '2014-01-01'),
  ('soft_drink', 'on_site', 1000, false, '2014-01-01'),
  ('soft_drink', 'takeaway_now', 1000, false, '2014-01-01'),
  ('soft_drink', 'takeaway_later', 550, false, '2014-01-01'),
  ('alcohol', 'any', 2000, false, '2014-01-01'),
  ('service', 'any', 2000, false, '2014-01-01'),
  ('machine_time', 'any', 2000, false, '2014-01-01'),
  ('room', 'any', 2000, false, '2014-01-01'),
  ('share', 'any', 0, true, '2014-01-01'),
  ('donation', 'any', 0, true, '2014-01-01');
