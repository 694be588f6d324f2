CREATE TABLE "client_calls" (
	"call_sid" text PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"identity" text NOT NULL,
	"to" text NOT NULL,
	"status" text NOT NULL,
	"duration_seconds" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "client_calls" ADD CONSTRAINT "client_calls_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "client_calls_organization_idx" ON "client_calls" USING btree ("organization_id","created_at");