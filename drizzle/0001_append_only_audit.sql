-- why: audit entries are evidence; the database itself refuses to change or remove them.
CREATE OR REPLACE FUNCTION lieu_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'table % is append-only', TG_TABLE_NAME USING ERRCODE = 'raise_exception';
END $$;
--> statement-breakpoint
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON "audit_log"
  FOR EACH ROW EXECUTE FUNCTION lieu_refuse_change();
--> statement-breakpoint
ALTER TABLE "place" ADD CONSTRAINT "place_slug_format" CHECK ("slug" ~ '^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$');
--> statement-breakpoint
CREATE UNIQUE INDEX "user_email_lower_uq" ON "user" (lower("email"));
