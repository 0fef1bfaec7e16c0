CREATE TABLE "product_component" (
	"place_id" text NOT NULL,
	"menu_id" text NOT NULL,
	"component_id" text NOT NULL,
	"quantity" integer DEFAULT 1 NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "product_component_menu_id_component_id_pk" PRIMARY KEY("menu_id","component_id"),
	CONSTRAINT "product_component_self_ck" CHECK ("product_component"."menu_id" <> "product_component"."component_id"),
	CONSTRAINT "product_component_quantity_ck" CHECK ("product_component"."quantity" >= 1 AND "product_component"."quantity" <= 99)
);
--> statement-breakpoint
ALTER TABLE "product" DROP CONSTRAINT "product_vat_category_ck";--> statement-breakpoint
ALTER TABLE "vat_rate" DROP CONSTRAINT "vat_rate_category_ck";--> statement-breakpoint
ALTER TABLE "product_component" ADD CONSTRAINT "product_component_place_id_place_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."place"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_component" ADD CONSTRAINT "product_component_menu_id_product_id_fk" FOREIGN KEY ("menu_id") REFERENCES "public"."product"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_component" ADD CONSTRAINT "product_component_component_id_product_id_fk" FOREIGN KEY ("component_id") REFERENCES "public"."product"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product" ADD CONSTRAINT "product_vat_category_ck" CHECK ("product"."vat_category" IN ('food', 'soft_drink', 'alcohol', 'service', 'machine_time', 'room', 'share', 'donation', 'menu'));--> statement-breakpoint
ALTER TABLE "vat_rate" ADD CONSTRAINT "vat_rate_category_ck" CHECK ("vat_rate"."category" IN ('food', 'soft_drink', 'alcohol', 'service', 'machine_time', 'room', 'share', 'donation', 'menu'));