CREATE TABLE "resource" (
	"id" text PRIMARY KEY NOT NULL,
	"place_id" text NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"slug" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"safety_notes" text DEFAULT '' NOT NULL,
	"parent_id" text,
	"requires_qualification" boolean DEFAULT false NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "resource_kind_ck" CHECK ("resource"."kind" IN ('machine', 'room', 'bench', 'space')),
	CONSTRAINT "resource_not_own_parent_ck" CHECK ("resource"."parent_id" IS NULL OR "resource"."parent_id" <> "resource"."id")
);
--> statement-breakpoint
CREATE TABLE "partner" (
	"id" text PRIMARY KEY NOT NULL,
	"place_id" text NOT NULL,
	"name" text NOT NULL,
	"kind" text DEFAULT 'other' NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"website" text,
	"contact_email" text,
	"published" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "partner_kind_ck" CHECK ("partner"."kind" IN ('public', 'network', 'association', 'company', 'farm', 'festival', 'other'))
);
--> statement-breakpoint
CREATE TABLE "event" (
	"id" text PRIMARY KEY NOT NULL,
	"place_id" text NOT NULL,
	"title" text NOT NULL,
	"slug" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"kind" text DEFAULT 'event' NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"location_text" text DEFAULT '' NOT NULL,
	"capacity" integer,
	"price_cents" integer DEFAULT 0 NOT NULL,
	"partner_id" text,
	"published" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "event_kind_ck" CHECK ("event"."kind" IN ('workshop', 'event', 'training', 'market', 'other')),
	CONSTRAINT "event_ends_after_start_ck" CHECK ("event"."ends_at" > "event"."starts_at"),
	CONSTRAINT "event_capacity_ck" CHECK ("event"."capacity" IS NULL OR "event"."capacity" >= 0),
	CONSTRAINT "event_price_ck" CHECK ("event"."price_cents" >= 0)
);
--> statement-breakpoint
CREATE TABLE "resident_profile" (
	"user_id" text NOT NULL,
	"place_id" text NOT NULL,
	"craft" text DEFAULT '' NOT NULL,
	"bio" text DEFAULT '' NOT NULL,
	"website" text,
	"published" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "resident_profile_place_id_user_id_pk" PRIMARY KEY("place_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "resource" ADD CONSTRAINT "resource_place_id_place_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."place"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resource" ADD CONSTRAINT "resource_parent_id_resource_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."resource"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner" ADD CONSTRAINT "partner_place_id_place_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."place"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event" ADD CONSTRAINT "event_place_id_place_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."place"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event" ADD CONSTRAINT "event_partner_id_partner_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partner"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resident_profile" ADD CONSTRAINT "resident_profile_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resident_profile" ADD CONSTRAINT "resident_profile_place_id_place_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."place"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "resource_place_slug_uq" ON "resource" USING btree ("place_id","slug");--> statement-breakpoint
CREATE INDEX "resource_parent_idx" ON "resource" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "partner_place_idx" ON "partner" USING btree ("place_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "event_place_slug_uq" ON "event" USING btree ("place_id","slug");--> statement-breakpoint
CREATE INDEX "event_place_starts_idx" ON "event" USING btree ("place_id","starts_at");--> statement-breakpoint
CREATE INDEX "resident_profile_user_idx" ON "resident_profile" USING btree ("user_id");