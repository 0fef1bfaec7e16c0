CREATE TABLE "cash_session" (
	"id" text PRIMARY KEY NOT NULL,
	"place_id" text NOT NULL,
	"till" text NOT NULL,
	"opened_at" timestamp (3) with time zone NOT NULL,
	"opened_by" text,
	"opening_float_cents" integer NOT NULL,
	"closed_at" timestamp (3) with time zone,
	"closed_by" text,
	"counted_cents" integer,
	"expected_cents" integer,
	"difference_cents" integer,
	"note" text,
	CONSTRAINT "cash_session_float_ck" CHECK ("cash_session"."opening_float_cents" >= 0),
	CONSTRAINT "cash_session_counted_ck" CHECK ("cash_session"."counted_cents" IS NULL OR "cash_session"."counted_cents" >= 0),
	CONSTRAINT "cash_session_closed_ck" CHECK (("cash_session"."closed_at" IS NULL AND "cash_session"."counted_cents" IS NULL AND "cash_session"."expected_cents" IS NULL AND "cash_session"."difference_cents" IS NULL AND "cash_session"."closed_by" IS NULL)
			 OR ("cash_session"."closed_at" IS NOT NULL AND "cash_session"."counted_cents" IS NOT NULL AND "cash_session"."expected_cents" IS NOT NULL AND "cash_session"."difference_cents" = "cash_session"."counted_cents" - "cash_session"."expected_cents" AND "cash_session"."closed_at" >= "cash_session"."opened_at"))
);
--> statement-breakpoint
ALTER TABLE "cash_session" ADD CONSTRAINT "cash_session_place_id_place_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."place"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "cash_session_open_uq" ON "cash_session" USING btree ("place_id","till") WHERE "cash_session"."closed_at" IS NULL;--> statement-breakpoint
CREATE INDEX "cash_session_place_idx" ON "cash_session" USING btree ("place_id","opened_at");