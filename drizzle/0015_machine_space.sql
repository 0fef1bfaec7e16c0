CREATE TABLE "booking" (
	"id" text PRIMARY KEY NOT NULL,
	"place_id" text NOT NULL,
	"resource_id" text NOT NULL,
	"kind" text DEFAULT 'booking' NOT NULL,
	"user_id" text,
	"status" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"price_cents" integer DEFAULT 0 NOT NULL,
	"wallet_minutes" integer DEFAULT 0 NOT NULL,
	"order_id" text,
	"note" text DEFAULT '' NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"cancelled_at" timestamp with time zone,
	"cancelled_by" text,
	"cancel_reason" text,
	"replaces_id" text,
	"checked_in_at" timestamp with time zone,
	"checked_out_at" timestamp with time zone,
	CONSTRAINT "booking_kind_ck" CHECK ("booking"."kind" IN ('booking', 'block')),
	CONSTRAINT "booking_status_ck" CHECK ("booking"."status" IN ('pending', 'confirmed', 'cancelled')),
	CONSTRAINT "booking_range_ck" CHECK ("booking"."ends_at" > "booking"."starts_at"),
	CONSTRAINT "booking_cancelled_ck" CHECK (("booking"."status" = 'cancelled') = ("booking"."cancelled_at" IS NOT NULL)),
	CONSTRAINT "booking_amounts_ck" CHECK ("booking"."price_cents" >= 0 AND "booking"."wallet_minutes" >= 0),
	CONSTRAINT "booking_checkout_ck" CHECK ("booking"."checked_out_at" IS NULL OR ("booking"."checked_in_at" IS NOT NULL AND "booking"."checked_out_at" >= "booking"."checked_in_at"))
);
--> statement-breakpoint
CREATE TABLE "booking_material" (
	"id" text PRIMARY KEY NOT NULL,
	"place_id" text NOT NULL,
	"booking_id" text NOT NULL,
	"product_id" text,
	"label" text NOT NULL,
	"quantity" integer NOT NULL,
	"order_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "booking_material_quantity_ck" CHECK ("booking_material"."quantity" BETWEEN 1 AND 9999)
);
--> statement-breakpoint
CREATE TABLE "booking_policy" (
	"place_id" text PRIMARY KEY NOT NULL,
	"cancel_refund" text DEFAULT 'credit' NOT NULL,
	"waitlist_offer_hours" integer DEFAULT 12 NOT NULL,
	CONSTRAINT "booking_policy_refund_ck" CHECK ("booking_policy"."cancel_refund" IN ('credit', 'refund')),
	CONSTRAINT "booking_policy_offer_ck" CHECK ("booking_policy"."waitlist_offer_hours" BETWEEN 1 AND 168)
);
--> statement-breakpoint
CREATE TABLE "booking_slot" (
	"booking_id" text NOT NULL,
	"place_id" text NOT NULL,
	"resource_id" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	CONSTRAINT "booking_slot_booking_id_resource_id_pk" PRIMARY KEY("booking_id","resource_id"),
	CONSTRAINT "booking_slot_range_ck" CHECK ("booking_slot"."ends_at" > "booking_slot"."starts_at")
);
--> statement-breakpoint
CREATE TABLE "booking_waitlist" (
	"id" text PRIMARY KEY NOT NULL,
	"place_id" text NOT NULL,
	"resource_id" text NOT NULL,
	"user_id" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'waiting' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"offered_at" timestamp with time zone,
	"offer_expires_at" timestamp with time zone,
	CONSTRAINT "booking_waitlist_status_ck" CHECK ("booking_waitlist"."status" IN ('waiting', 'offered', 'taken', 'expired', 'withdrawn')),
	CONSTRAINT "booking_waitlist_range_ck" CHECK ("booking_waitlist"."ends_at" > "booking_waitlist"."starts_at")
);
--> statement-breakpoint
CREATE TABLE "calendar_token" (
	"place_id" text NOT NULL,
	"user_id" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "calendar_token_place_id_user_id_pk" PRIMARY KEY("place_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "maintenance_log" (
	"id" text PRIMARY KEY NOT NULL,
	"place_id" text NOT NULL,
	"resource_id" text NOT NULL,
	"kind" text NOT NULL,
	"body" text NOT NULL,
	"booking_id" text,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "maintenance_log_kind_ck" CHECK ("maintenance_log"."kind" IN ('maintenance', 'incident', 'note'))
);
--> statement-breakpoint
CREATE TABLE "open_access_session" (
	"id" text PRIMARY KEY NOT NULL,
	"place_id" text NOT NULL,
	"resource_id" text,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"referent_id" text,
	"note" text DEFAULT '' NOT NULL,
	CONSTRAINT "open_access_session_range_ck" CHECK ("open_access_session"."ends_at" > "open_access_session"."starts_at")
);
--> statement-breakpoint
CREATE TABLE "opening_exception" (
	"id" text PRIMARY KEY NOT NULL,
	"place_id" text NOT NULL,
	"resource_id" text,
	"date" date NOT NULL,
	"closed" boolean NOT NULL,
	"opens_min" integer,
	"closes_min" integer,
	"reason" text DEFAULT '' NOT NULL,
	CONSTRAINT "opening_exception_range_ck" CHECK (("opening_exception"."closed" AND "opening_exception"."opens_min" IS NULL AND "opening_exception"."closes_min" IS NULL) OR (NOT "opening_exception"."closed" AND "opening_exception"."opens_min" >= 0 AND "opening_exception"."closes_min" <= 1440 AND "opening_exception"."closes_min" > "opening_exception"."opens_min"))
);
--> statement-breakpoint
CREATE TABLE "opening_rule" (
	"id" text PRIMARY KEY NOT NULL,
	"place_id" text NOT NULL,
	"resource_id" text,
	"weekday" integer NOT NULL,
	"opens_min" integer NOT NULL,
	"closes_min" integer NOT NULL,
	CONSTRAINT "opening_rule_weekday_ck" CHECK ("opening_rule"."weekday" BETWEEN 1 AND 7),
	CONSTRAINT "opening_rule_range_ck" CHECK ("opening_rule"."opens_min" >= 0 AND "opening_rule"."closes_min" <= 1440 AND "opening_rule"."closes_min" > "opening_rule"."opens_min")
);
--> statement-breakpoint
CREATE TABLE "resource_outage" (
	"id" text PRIMARY KEY NOT NULL,
	"place_id" text NOT NULL,
	"resource_id" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"reason" text NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "resource_outage_range_ck" CHECK ("resource_outage"."ends_at" > "resource_outage"."starts_at")
);
--> statement-breakpoint
CREATE TABLE "qualification" (
	"id" text PRIMARY KEY NOT NULL,
	"place_id" text NOT NULL,
	"user_id" text NOT NULL,
	"resource_id" text NOT NULL,
	"granted_by" text,
	"granted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone,
	"session_id" text,
	"revoked_at" timestamp with time zone,
	"revoked_by" text,
	"revoke_reason" text,
	CONSTRAINT "qualification_revoked_ck" CHECK (("qualification"."revoked_at" IS NULL) = ("qualification"."revoke_reason" IS NULL)),
	CONSTRAINT "qualification_expiry_ck" CHECK ("qualification"."expires_at" IS NULL OR "qualification"."expires_at" > "qualification"."granted_at")
);
--> statement-breakpoint
CREATE TABLE "training_registration" (
	"id" text PRIMARY KEY NOT NULL,
	"place_id" text NOT NULL,
	"session_id" text NOT NULL,
	"user_id" text NOT NULL,
	"status" text DEFAULT 'registered' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "training_registration_status_ck" CHECK ("training_registration"."status" IN ('registered', 'cancelled', 'attended', 'absent'))
);
--> statement-breakpoint
CREATE TABLE "training_session" (
	"id" text PRIMARY KEY NOT NULL,
	"place_id" text NOT NULL,
	"training_type_id" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"trainer_id" text,
	"capacity" integer NOT NULL,
	"registered_count" integer DEFAULT 0 NOT NULL,
	"status" text DEFAULT 'scheduled' NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "training_session_range_ck" CHECK ("training_session"."ends_at" > "training_session"."starts_at"),
	CONSTRAINT "training_session_capacity_ck" CHECK ("training_session"."capacity" BETWEEN 1 AND 500 AND "training_session"."registered_count" BETWEEN 0 AND "training_session"."capacity"),
	CONSTRAINT "training_session_status_ck" CHECK ("training_session"."status" IN ('scheduled', 'cancelled', 'done'))
);
--> statement-breakpoint
CREATE TABLE "training_type" (
	"id" text PRIMARY KEY NOT NULL,
	"place_id" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"duration_minutes" integer DEFAULT 120 NOT NULL,
	"price_cents" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "training_type_duration_ck" CHECK ("training_type"."duration_minutes" BETWEEN 15 AND 1440),
	CONSTRAINT "training_type_price_ck" CHECK ("training_type"."price_cents" >= 0)
);
--> statement-breakpoint
CREATE TABLE "training_type_resource" (
	"training_type_id" text NOT NULL,
	"resource_id" text NOT NULL,
	CONSTRAINT "training_type_resource_training_type_id_resource_id_pk" PRIMARY KEY("training_type_id","resource_id")
);
--> statement-breakpoint
ALTER TABLE "resource" ADD COLUMN "bookable" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "resource" ADD COLUMN "photo_url" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "resource" ADD COLUMN "allowed_materials" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "resource" ADD COLUMN "product_id" text;--> statement-breakpoint
ALTER TABLE "resource" ADD COLUMN "slot_minutes" integer DEFAULT 30 NOT NULL;--> statement-breakpoint
ALTER TABLE "resource" ADD COLUMN "min_minutes" integer DEFAULT 30 NOT NULL;--> statement-breakpoint
ALTER TABLE "resource" ADD COLUMN "max_minutes" integer DEFAULT 240 NOT NULL;--> statement-breakpoint
ALTER TABLE "resource" ADD COLUMN "max_advance_days" integer DEFAULT 30 NOT NULL;--> statement-breakpoint
ALTER TABLE "resource" ADD COLUMN "cancel_hours" integer DEFAULT 24 NOT NULL;--> statement-breakpoint
ALTER TABLE "resource" ADD COLUMN "open_access_only" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "resource" ADD COLUMN "qualification_months" integer;--> statement-breakpoint
ALTER TABLE "booking" ADD CONSTRAINT "booking_place_id_place_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."place"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booking" ADD CONSTRAINT "booking_resource_id_resource_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."resource"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booking" ADD CONSTRAINT "booking_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booking" ADD CONSTRAINT "booking_order_id_checkout_order_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."checkout_order"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booking" ADD CONSTRAINT "booking_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booking" ADD CONSTRAINT "booking_cancelled_by_user_id_fk" FOREIGN KEY ("cancelled_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booking" ADD CONSTRAINT "booking_replaces_id_booking_id_fk" FOREIGN KEY ("replaces_id") REFERENCES "public"."booking"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booking_material" ADD CONSTRAINT "booking_material_place_id_place_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."place"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booking_material" ADD CONSTRAINT "booking_material_booking_id_booking_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."booking"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booking_material" ADD CONSTRAINT "booking_material_product_id_product_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."product"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booking_material" ADD CONSTRAINT "booking_material_order_id_checkout_order_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."checkout_order"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booking_policy" ADD CONSTRAINT "booking_policy_place_id_place_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."place"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booking_slot" ADD CONSTRAINT "booking_slot_booking_id_booking_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."booking"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booking_slot" ADD CONSTRAINT "booking_slot_place_id_place_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."place"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booking_slot" ADD CONSTRAINT "booking_slot_resource_id_resource_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."resource"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booking_waitlist" ADD CONSTRAINT "booking_waitlist_place_id_place_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."place"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booking_waitlist" ADD CONSTRAINT "booking_waitlist_resource_id_resource_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."resource"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booking_waitlist" ADD CONSTRAINT "booking_waitlist_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_token" ADD CONSTRAINT "calendar_token_place_id_place_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."place"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_token" ADD CONSTRAINT "calendar_token_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_log" ADD CONSTRAINT "maintenance_log_place_id_place_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."place"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_log" ADD CONSTRAINT "maintenance_log_resource_id_resource_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."resource"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_log" ADD CONSTRAINT "maintenance_log_booking_id_booking_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."booking"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_log" ADD CONSTRAINT "maintenance_log_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "open_access_session" ADD CONSTRAINT "open_access_session_place_id_place_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."place"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "open_access_session" ADD CONSTRAINT "open_access_session_resource_id_resource_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."resource"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "open_access_session" ADD CONSTRAINT "open_access_session_referent_id_user_id_fk" FOREIGN KEY ("referent_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opening_exception" ADD CONSTRAINT "opening_exception_place_id_place_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."place"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opening_exception" ADD CONSTRAINT "opening_exception_resource_id_resource_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."resource"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opening_rule" ADD CONSTRAINT "opening_rule_place_id_place_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."place"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opening_rule" ADD CONSTRAINT "opening_rule_resource_id_resource_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."resource"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resource_outage" ADD CONSTRAINT "resource_outage_place_id_place_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."place"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resource_outage" ADD CONSTRAINT "resource_outage_resource_id_resource_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."resource"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resource_outage" ADD CONSTRAINT "resource_outage_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qualification" ADD CONSTRAINT "qualification_place_id_place_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."place"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qualification" ADD CONSTRAINT "qualification_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qualification" ADD CONSTRAINT "qualification_resource_id_resource_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."resource"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qualification" ADD CONSTRAINT "qualification_granted_by_user_id_fk" FOREIGN KEY ("granted_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qualification" ADD CONSTRAINT "qualification_session_id_training_session_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."training_session"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qualification" ADD CONSTRAINT "qualification_revoked_by_user_id_fk" FOREIGN KEY ("revoked_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_registration" ADD CONSTRAINT "training_registration_place_id_place_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."place"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_registration" ADD CONSTRAINT "training_registration_session_id_training_session_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."training_session"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_registration" ADD CONSTRAINT "training_registration_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_session" ADD CONSTRAINT "training_session_place_id_place_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."place"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_session" ADD CONSTRAINT "training_session_training_type_id_training_type_id_fk" FOREIGN KEY ("training_type_id") REFERENCES "public"."training_type"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_session" ADD CONSTRAINT "training_session_trainer_id_user_id_fk" FOREIGN KEY ("trainer_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_type" ADD CONSTRAINT "training_type_place_id_place_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."place"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_type_resource" ADD CONSTRAINT "training_type_resource_training_type_id_training_type_id_fk" FOREIGN KEY ("training_type_id") REFERENCES "public"."training_type"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_type_resource" ADD CONSTRAINT "training_type_resource_resource_id_resource_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."resource"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "booking_place_starts_idx" ON "booking" USING btree ("place_id","starts_at");--> statement-breakpoint
CREATE INDEX "booking_resource_starts_idx" ON "booking" USING btree ("resource_id","starts_at");--> statement-breakpoint
CREATE INDEX "booking_user_idx" ON "booking" USING btree ("user_id","starts_at");--> statement-breakpoint
CREATE INDEX "booking_material_booking_idx" ON "booking_material" USING btree ("booking_id");--> statement-breakpoint
CREATE INDEX "booking_waitlist_slot_idx" ON "booking_waitlist" USING btree ("resource_id","starts_at","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "booking_waitlist_person_uq" ON "booking_waitlist" USING btree ("resource_id","user_id","starts_at","ends_at") WHERE "booking_waitlist"."status" IN ('waiting', 'offered');--> statement-breakpoint
CREATE UNIQUE INDEX "calendar_token_hash_uq" ON "calendar_token" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "maintenance_log_resource_idx" ON "maintenance_log" USING btree ("resource_id","created_at");--> statement-breakpoint
CREATE INDEX "open_access_session_place_idx" ON "open_access_session" USING btree ("place_id","starts_at");--> statement-breakpoint
CREATE INDEX "opening_exception_place_date_idx" ON "opening_exception" USING btree ("place_id","date");--> statement-breakpoint
CREATE INDEX "opening_rule_place_idx" ON "opening_rule" USING btree ("place_id","resource_id");--> statement-breakpoint
CREATE INDEX "resource_outage_resource_idx" ON "resource_outage" USING btree ("resource_id","starts_at");--> statement-breakpoint
CREATE UNIQUE INDEX "qualification_live_uq" ON "qualification" USING btree ("user_id","resource_id") WHERE "qualification"."revoked_at" IS NULL;--> statement-breakpoint
CREATE INDEX "qualification_place_resource_idx" ON "qualification" USING btree ("place_id","resource_id");--> statement-breakpoint
CREATE UNIQUE INDEX "training_registration_person_uq" ON "training_registration" USING btree ("session_id","user_id") WHERE "training_registration"."status" <> 'cancelled';--> statement-breakpoint
CREATE INDEX "training_registration_user_idx" ON "training_registration" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "training_session_place_starts_idx" ON "training_session" USING btree ("place_id","starts_at");--> statement-breakpoint
CREATE INDEX "training_type_place_idx" ON "training_type" USING btree ("place_id");--> statement-breakpoint
CREATE INDEX "training_type_resource_resource_idx" ON "training_type_resource" USING btree ("resource_id");--> statement-breakpoint
ALTER TABLE "resource" ADD CONSTRAINT "resource_product_id_product_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."product"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resource" ADD CONSTRAINT "resource_durations_ck" CHECK ("resource"."slot_minutes" BETWEEN 5 AND 1440 AND "resource"."min_minutes" >= "resource"."slot_minutes" AND "resource"."max_minutes" >= "resource"."min_minutes" AND "resource"."max_minutes" <= 10080);--> statement-breakpoint
ALTER TABLE "resource" ADD CONSTRAINT "resource_advance_ck" CHECK ("resource"."max_advance_days" BETWEEN 0 AND 730 AND "resource"."cancel_hours" BETWEEN 0 AND 720);--> statement-breakpoint
ALTER TABLE "resource" ADD CONSTRAINT "resource_qualification_months_ck" CHECK ("resource"."qualification_months" IS NULL OR "resource"."qualification_months" BETWEEN 1 AND 120);