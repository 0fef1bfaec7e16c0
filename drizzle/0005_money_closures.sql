CREATE TABLE "closure" (
	"id" text PRIMARY KEY NOT NULL,
	"place_id" text NOT NULL,
	"kind" text NOT NULL,
	"number" integer NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"closed_at" timestamp (3) with time zone NOT NULL,
	"operator_ref" text,
	"receipt_count" integer NOT NULL,
	"first_receipt_number" integer,
	"last_receipt_number" integer,
	"totals" jsonb NOT NULL,
	"payments" jsonb NOT NULL,
	"total_cents" integer NOT NULL,
	"perpetual_total_cents" bigint NOT NULL,
	"previous_hash" text NOT NULL,
	"hash" text NOT NULL,
	CONSTRAINT "closure_kind_ck" CHECK ("closure"."kind" IN ('day'))
);
--> statement-breakpoint
ALTER TABLE "closure" ADD CONSTRAINT "closure_place_id_place_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."place"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "closure_number_uq" ON "closure" USING btree ("place_id","kind","number");--> statement-breakpoint
CREATE UNIQUE INDEX "closure_period_uq" ON "closure" USING btree ("place_id","kind","period_start");--> statement-breakpoint
-- why: closures are fiscal evidence like receipts: the database refuses to change or remove them.
CREATE TRIGGER closure_append_only BEFORE UPDATE OR DELETE ON "closure"
  FOR EACH ROW EXECUTE FUNCTION lieu_refuse_change();
--> statement-breakpoint
CREATE TRIGGER closure_no_truncate BEFORE TRUNCATE ON "closure"
  FOR EACH STATEMENT EXECUTE FUNCTION lieu_refuse_change();
