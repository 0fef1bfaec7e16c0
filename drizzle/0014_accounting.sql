CREATE TABLE "account_setting" (
	"place_id" text NOT NULL,
	"key" text NOT NULL,
	"account" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "account_setting_place_id_key_pk" PRIMARY KEY("place_id","key"),
	CONSTRAINT "account_setting_account_ck" CHECK ("account_setting"."account" ~ '^[1-8][0-9]{2}[0-9A-Z]{0,9}$')
);
--> statement-breakpoint
CREATE TABLE "cost_entry" (
	"id" text PRIMARY KEY NOT NULL,
	"place_id" text NOT NULL,
	"month" date NOT NULL,
	"category" text NOT NULL,
	"label" text DEFAULT '' NOT NULL,
	"amount_cents" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cost_entry_category_ck" CHECK ("cost_entry"."category" IN ('rent', 'salaries', 'food', 'supplies', 'energy', 'insurance', 'services', 'other')),
	CONSTRAINT "cost_entry_month_ck" CHECK (extract(day from "cost_entry"."month") = 1),
	CONSTRAINT "cost_entry_amount_ck" CHECK ("cost_entry"."amount_cents" > 0 AND "cost_entry"."amount_cents" <= 100000000)
);
--> statement-breakpoint
CREATE TABLE "subsidy" (
	"id" text PRIMARY KEY NOT NULL,
	"place_id" text NOT NULL,
	"funder" text NOT NULL,
	"amount_cents" integer NOT NULL,
	"granted_on" date NOT NULL,
	"purpose" text DEFAULT '' NOT NULL,
	"received_on" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "subsidy_amount_ck" CHECK ("subsidy"."amount_cents" > 0 AND "subsidy"."amount_cents" <= 1000000000),
	CONSTRAINT "subsidy_received_ck" CHECK ("subsidy"."received_on" IS NULL OR "subsidy"."received_on" >= "subsidy"."granted_on")
);
--> statement-breakpoint
ALTER TABLE "account_setting" ADD CONSTRAINT "account_setting_place_id_place_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."place"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cost_entry" ADD CONSTRAINT "cost_entry_place_id_place_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."place"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subsidy" ADD CONSTRAINT "subsidy_place_id_place_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."place"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cost_entry_place_month_idx" ON "cost_entry" USING btree ("place_id","month");--> statement-breakpoint
CREATE INDEX "subsidy_place_idx" ON "subsidy" USING btree ("place_id","granted_on");