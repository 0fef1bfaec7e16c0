CREATE TABLE "journal_sequence" (
	"place_id" text NOT NULL,
	"series" text NOT NULL,
	"training" boolean NOT NULL,
	"last_number" integer DEFAULT 0 NOT NULL,
	"last_hash" text NOT NULL,
	CONSTRAINT "journal_sequence_place_id_series_training_pk" PRIMARY KEY("place_id","series","training")
);
--> statement-breakpoint
CREATE TABLE "product" (
	"id" text PRIMARY KEY NOT NULL,
	"place_id" text NOT NULL,
	"name" text NOT NULL,
	"activity" text NOT NULL,
	"vat_category" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "product_activity_ck" CHECK ("product"."activity" IN ('cafe', 'machines', 'events', 'residents', 'memberships', 'shares', 'other')),
	CONSTRAINT "product_vat_category_ck" CHECK ("product"."vat_category" IN ('food', 'soft_drink', 'alcohol', 'service', 'machine_time', 'room', 'share', 'donation'))
);
--> statement-breakpoint
CREATE TABLE "product_price" (
	"place_id" text NOT NULL,
	"product_id" text NOT NULL,
	"audience" text NOT NULL,
	"amount_cents" integer NOT NULL,
	CONSTRAINT "product_price_product_id_audience_pk" PRIMARY KEY("product_id","audience"),
	CONSTRAINT "product_price_audience_ck" CHECK ("product_price"."audience" IN ('public', 'member', 'reduced', 'resident')),
	CONSTRAINT "product_price_amount_ck" CHECK ("product_price"."amount_cents" >= 0)
);
--> statement-breakpoint
CREATE TABLE "receipt" (
	"id" text PRIMARY KEY NOT NULL,
	"place_id" text NOT NULL,
	"series" text DEFAULT 'main' NOT NULL,
	"number" integer NOT NULL,
	"training" boolean DEFAULT false NOT NULL,
	"kind" text DEFAULT 'sale' NOT NULL,
	"corrects_id" text,
	"issued_at" timestamp (3) with time zone NOT NULL,
	"till" text DEFAULT '1' NOT NULL,
	"operator_ref" text,
	"lines" jsonb NOT NULL,
	"totals" jsonb NOT NULL,
	"payments" jsonb NOT NULL,
	"total_cents" integer NOT NULL,
	"previous_hash" text NOT NULL,
	"hash" text NOT NULL,
	CONSTRAINT "receipt_kind_ck" CHECK ("receipt"."kind" IN ('sale', 'correction')),
	CONSTRAINT "receipt_number_ck" CHECK ("receipt"."number" >= 1),
	CONSTRAINT "receipt_correction_ck" CHECK (("receipt"."kind" = 'correction') = ("receipt"."corrects_id" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "vat_rate" (
	"id" serial PRIMARY KEY NOT NULL,
	"category" text NOT NULL,
	"context" text NOT NULL,
	"rate_bp" integer NOT NULL,
	"outside_scope" boolean DEFAULT false NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date,
	CONSTRAINT "vat_rate_category_ck" CHECK ("vat_rate"."category" IN ('food', 'soft_drink', 'alcohol', 'service', 'machine_time', 'room', 'share', 'donation')),
	CONSTRAINT "vat_rate_context_ck" CHECK ("vat_rate"."context" IN ('on_site', 'takeaway_now', 'takeaway_later', 'any')),
	CONSTRAINT "vat_rate_bp_ck" CHECK ("vat_rate"."rate_bp" >= 0 AND "vat_rate"."rate_bp" < 10000),
	CONSTRAINT "vat_rate_validity_ck" CHECK ("vat_rate"."valid_to" IS NULL OR "vat_rate"."valid_to" >= "vat_rate"."valid_from")
);
--> statement-breakpoint
ALTER TABLE "journal_sequence" ADD CONSTRAINT "journal_sequence_place_id_place_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."place"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product" ADD CONSTRAINT "product_place_id_place_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."place"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_price" ADD CONSTRAINT "product_price_place_id_place_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."place"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_price" ADD CONSTRAINT "product_price_product_id_product_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."product"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "receipt" ADD CONSTRAINT "receipt_place_id_place_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."place"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "product_place_idx" ON "product" USING btree ("place_id","activity");--> statement-breakpoint
CREATE UNIQUE INDEX "receipt_number_uq" ON "receipt" USING btree ("place_id","series","training","number");--> statement-breakpoint
CREATE INDEX "receipt_place_issued_idx" ON "receipt" USING btree ("place_id","issued_at");--> statement-breakpoint
CREATE INDEX "vat_rate_category_idx" ON "vat_rate" USING btree ("category","context","valid_from");