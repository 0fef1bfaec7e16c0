CREATE TABLE "invoice" (
	"id" text PRIMARY KEY NOT NULL,
	"place_id" text NOT NULL,
	"kind" text NOT NULL,
	"number" integer NOT NULL,
	"reference" text NOT NULL,
	"issued_at" timestamp (3) with time zone NOT NULL,
	"issue_date" date NOT NULL,
	"supply_date" date,
	"due_date" date NOT NULL,
	"credited_invoice_id" text,
	"customer" jsonb NOT NULL,
	"seller" jsonb NOT NULL,
	"lines" jsonb NOT NULL,
	"totals" jsonb NOT NULL,
	"total_ht_cents" integer NOT NULL,
	"total_vat_cents" integer NOT NULL,
	"total_ttc_cents" integer NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"created_by" text,
	CONSTRAINT "invoice_kind_ck" CHECK ("invoice"."kind" IN ('invoice', 'credit_note')),
	CONSTRAINT "invoice_number_ck" CHECK ("invoice"."number" >= 1),
	CONSTRAINT "invoice_credit_ck" CHECK (("invoice"."kind" = 'credit_note') = ("invoice"."credited_invoice_id" IS NOT NULL)),
	CONSTRAINT "invoice_totals_ck" CHECK ("invoice"."total_ht_cents" >= 0 AND "invoice"."total_vat_cents" >= 0 AND "invoice"."total_ttc_cents" = "invoice"."total_ht_cents" + "invoice"."total_vat_cents"),
	CONSTRAINT "invoice_due_ck" CHECK ("invoice"."due_date" >= "invoice"."issue_date")
);
--> statement-breakpoint
CREATE TABLE "invoice_payment" (
	"id" text PRIMARY KEY NOT NULL,
	"place_id" text NOT NULL,
	"invoice_id" text NOT NULL,
	"paid_on" date NOT NULL,
	"method" text NOT NULL,
	"amount_cents" integer NOT NULL,
	"recorded_by" text,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "invoice_payment_method_ck" CHECK ("invoice_payment"."method" IN ('transfer', 'card', 'cheque', 'cash', 'direct_debit')),
	CONSTRAINT "invoice_payment_amount_ck" CHECK ("invoice_payment"."amount_cents" >= 0)
);
--> statement-breakpoint
CREATE TABLE "invoice_sequence" (
	"place_id" text NOT NULL,
	"kind" text NOT NULL,
	"last_number" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "invoice_sequence_place_id_kind_pk" PRIMARY KEY("place_id","kind"),
	CONSTRAINT "invoice_sequence_kind_ck" CHECK ("invoice_sequence"."kind" IN ('invoice', 'credit_note'))
);
--> statement-breakpoint
CREATE TABLE "invoice_settings" (
	"place_id" text PRIMARY KEY NOT NULL,
	"vat_regime" text DEFAULT 'normal' NOT NULL,
	"vat_on_debits" boolean DEFAULT false NOT NULL,
	"share_capital_cents" integer,
	"variable_capital" boolean DEFAULT true NOT NULL,
	"registration" text DEFAULT '' NOT NULL,
	"iban" text DEFAULT '' NOT NULL,
	"bic" text DEFAULT '' NOT NULL,
	"payment_terms_days" integer DEFAULT 30 NOT NULL,
	"late_penalty_rate_bp" integer DEFAULT 1000 NOT NULL,
	"footer" text DEFAULT '' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "invoice_settings_regime_ck" CHECK ("invoice_settings"."vat_regime" IN ('normal', 'franchise')),
	CONSTRAINT "invoice_settings_terms_ck" CHECK ("invoice_settings"."payment_terms_days" BETWEEN 0 AND 60),
	CONSTRAINT "invoice_settings_penalty_ck" CHECK ("invoice_settings"."late_penalty_rate_bp" BETWEEN 0 AND 10000),
	CONSTRAINT "invoice_settings_capital_ck" CHECK ("invoice_settings"."share_capital_cents" IS NULL OR "invoice_settings"."share_capital_cents" >= 0)
);
--> statement-breakpoint
ALTER TABLE "invoice" ADD CONSTRAINT "invoice_place_id_place_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."place"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_payment" ADD CONSTRAINT "invoice_payment_place_id_place_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."place"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_payment" ADD CONSTRAINT "invoice_payment_invoice_id_invoice_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoice"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_sequence" ADD CONSTRAINT "invoice_sequence_place_id_place_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."place"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_settings" ADD CONSTRAINT "invoice_settings_place_id_place_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."place"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "invoice_number_uq" ON "invoice" USING btree ("place_id","kind","number");--> statement-breakpoint
CREATE UNIQUE INDEX "invoice_reference_uq" ON "invoice" USING btree ("place_id","reference");--> statement-breakpoint
CREATE INDEX "invoice_place_issued_idx" ON "invoice" USING btree ("place_id","issued_at");--> statement-breakpoint
CREATE INDEX "invoice_credited_idx" ON "invoice" USING btree ("credited_invoice_id");--> statement-breakpoint
CREATE UNIQUE INDEX "invoice_payment_invoice_uq" ON "invoice_payment" USING btree ("invoice_id");