CREATE TABLE "checkout_order" (
	"id" text PRIMARY KEY NOT NULL,
	"place_id" text NOT NULL,
	"buyer_id" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"total_cents" integer NOT NULL,
	"currency" text DEFAULT 'EUR' NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL,
	"provider" text,
	"provider_ref" text,
	"payment_method" text,
	"paid_at" timestamp (3) with time zone,
	"receipt_id" text,
	"end_reason" text,
	"created_by" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "checkout_order_status_ck" CHECK ("checkout_order"."status" IN ('pending', 'paid', 'failed', 'expired', 'cancelled')),
	CONSTRAINT "checkout_order_provider_ck" CHECK ("checkout_order"."provider" IS NULL OR "checkout_order"."provider" IN ('stripe', 'helloasso', 'onsite', 'wallet')),
	CONSTRAINT "checkout_order_total_ck" CHECK ("checkout_order"."total_cents" >= 0 AND "checkout_order"."total_cents" <= 100000000),
	CONSTRAINT "checkout_order_currency_ck" CHECK ("checkout_order"."currency" = 'EUR'),
	CONSTRAINT "checkout_order_paid_ck" CHECK (("checkout_order"."status" = 'paid') = ("checkout_order"."paid_at" IS NOT NULL AND "checkout_order"."receipt_id" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "checkout_order_line" (
	"id" serial PRIMARY KEY NOT NULL,
	"order_id" text NOT NULL,
	"place_id" text NOT NULL,
	"position" integer NOT NULL,
	"kind" text NOT NULL,
	"ref_id" text,
	"product_id" text,
	"label" text NOT NULL,
	"activity" text NOT NULL,
	"quantity" integer NOT NULL,
	"unit_price_cents" integer NOT NULL,
	"vat_category" text NOT NULL,
	"context" text DEFAULT 'on_site' NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "checkout_order_line_qty_ck" CHECK ("checkout_order_line"."quantity" >= 1 AND "checkout_order_line"."quantity" <= 999),
	CONSTRAINT "checkout_order_line_price_ck" CHECK ("checkout_order_line"."unit_price_cents" >= 0),
	CONSTRAINT "checkout_order_line_activity_ck" CHECK ("checkout_order_line"."activity" IN ('cafe', 'machines', 'events', 'residents', 'memberships', 'shares', 'other')),
	CONSTRAINT "checkout_order_line_vat_ck" CHECK ("checkout_order_line"."vat_category" IN ('food', 'soft_drink', 'alcohol', 'service', 'machine_time', 'room', 'share', 'donation', 'menu', 'voucher')),
	CONSTRAINT "checkout_order_line_context_ck" CHECK ("checkout_order_line"."context" IN ('on_site', 'takeaway_now', 'takeaway_later'))
);
--> statement-breakpoint
CREATE TABLE "payment_event" (
	"id" serial PRIMARY KEY NOT NULL,
	"provider" text NOT NULL,
	"event_id" text NOT NULL,
	"type" text NOT NULL,
	"order_id" text,
	"outcome" text NOT NULL,
	"received_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "wallet" (
	"place_id" text NOT NULL,
	"user_id" text NOT NULL,
	"unit" text NOT NULL,
	"balance" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "wallet_place_id_user_id_unit_pk" PRIMARY KEY("place_id","user_id","unit"),
	CONSTRAINT "wallet_unit_ck" CHECK ("wallet"."unit" IN ('cents', 'minutes')),
	CONSTRAINT "wallet_balance_ck" CHECK ("wallet"."balance" >= 0)
);
--> statement-breakpoint
CREATE TABLE "wallet_entry" (
	"id" text PRIMARY KEY NOT NULL,
	"place_id" text NOT NULL,
	"user_id" text NOT NULL,
	"unit" text NOT NULL,
	"amount" integer NOT NULL,
	"kind" text NOT NULL,
	"order_id" text,
	"actor_id" text,
	"note" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "wallet_entry_unit_ck" CHECK ("wallet_entry"."unit" IN ('cents', 'minutes')),
	CONSTRAINT "wallet_entry_kind_ck" CHECK ("wallet_entry"."kind" IN ('topup', 'hour_pack', 'refund_credit', 'contribution', 'spend', 'adjustment')),
	CONSTRAINT "wallet_entry_amount_ck" CHECK ("wallet_entry"."amount" <> 0),
	CONSTRAINT "wallet_entry_sign_ck" CHECK (("wallet_entry"."kind" IN ('topup','hour_pack','refund_credit','contribution') AND "wallet_entry"."amount" > 0) OR ("wallet_entry"."kind" = 'spend' AND "wallet_entry"."amount" < 0) OR "wallet_entry"."kind" = 'adjustment')
);
--> statement-breakpoint
CREATE TABLE "wallet_pack" (
	"id" text PRIMARY KEY NOT NULL,
	"place_id" text NOT NULL,
	"label" text NOT NULL,
	"unit" text NOT NULL,
	"amount" integer NOT NULL,
	"price_cents" integer NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "wallet_pack_unit_ck" CHECK ("wallet_pack"."unit" IN ('cents', 'minutes')),
	CONSTRAINT "wallet_pack_amount_ck" CHECK ("wallet_pack"."amount" > 0 AND "wallet_pack"."price_cents" >= 0)
);
--> statement-breakpoint
ALTER TABLE "checkout_order" ADD CONSTRAINT "checkout_order_place_id_place_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."place"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checkout_order" ADD CONSTRAINT "checkout_order_buyer_id_user_id_fk" FOREIGN KEY ("buyer_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checkout_order_line" ADD CONSTRAINT "checkout_order_line_order_id_checkout_order_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."checkout_order"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checkout_order_line" ADD CONSTRAINT "checkout_order_line_place_id_place_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."place"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wallet" ADD CONSTRAINT "wallet_place_id_place_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."place"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wallet_entry" ADD CONSTRAINT "wallet_entry_place_id_place_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."place"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wallet_entry" ADD CONSTRAINT "wallet_entry_order_id_checkout_order_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."checkout_order"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wallet_pack" ADD CONSTRAINT "wallet_pack_place_id_place_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."place"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "checkout_order_place_status_idx" ON "checkout_order" USING btree ("place_id","status","created_at");--> statement-breakpoint
CREATE INDEX "checkout_order_buyer_idx" ON "checkout_order" USING btree ("place_id","buyer_id","created_at");--> statement-breakpoint
CREATE INDEX "checkout_order_expiry_idx" ON "checkout_order" USING btree ("status","expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "checkout_order_provider_ref_uq" ON "checkout_order" USING btree ("provider","provider_ref");--> statement-breakpoint
CREATE UNIQUE INDEX "checkout_order_line_pos_uq" ON "checkout_order_line" USING btree ("order_id","position");--> statement-breakpoint
CREATE INDEX "checkout_order_line_ref_idx" ON "checkout_order_line" USING btree ("kind","ref_id");--> statement-breakpoint
CREATE UNIQUE INDEX "payment_event_uq" ON "payment_event" USING btree ("provider","event_id");--> statement-breakpoint
CREATE INDEX "wallet_entry_wallet_idx" ON "wallet_entry" USING btree ("place_id","user_id","unit","created_at");--> statement-breakpoint
CREATE INDEX "wallet_pack_place_idx" ON "wallet_pack" USING btree ("place_id");