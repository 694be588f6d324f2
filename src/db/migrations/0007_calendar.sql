CREATE TABLE "bookings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"vapi_call_id" text,
	"external_uid" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"attendee_name" text NOT NULL,
	"attendee_phone" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "calendar_connections" (
	"organization_id" uuid PRIMARY KEY NOT NULL,
	"provider" text DEFAULT 'CAL_COM' NOT NULL,
	"encrypted_api_key" text NOT NULL,
	"encryption_key_id" text NOT NULL,
	"event_type_id" integer NOT NULL,
	"account_email" text,
	"connected_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_connections" ADD CONSTRAINT "calendar_connections_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bookings_organization_created_idx" ON "bookings" USING btree ("organization_id","created_at");