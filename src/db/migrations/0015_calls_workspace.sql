CREATE TABLE "missed_call_text_settings" (
	"organization_id" uuid PRIMARY KEY NOT NULL,
	"enabled" boolean DEFAULT false NOT NULL,
	"message" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "missed_call_texts" (
	"organization_id" uuid NOT NULL,
	"number" text NOT NULL,
	"call_id" uuid,
	"twilio_sid" text,
	"sent_at" timestamp with time zone NOT NULL,
	CONSTRAINT "missed_call_texts_organization_id_number_pk" PRIMARY KEY("organization_id","number")
);
--> statement-breakpoint
CREATE TABLE "privacy_settings" (
	"organization_id" uuid PRIMARY KEY NOT NULL,
	"transcript_retention_days" integer,
	"recording_retention_days" integer,
	"redact_pii" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sms_opt_outs" (
	"organization_id" uuid NOT NULL,
	"number" text NOT NULL,
	"opted_out_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sms_opt_outs_organization_id_number_pk" PRIMARY KEY("organization_id","number")
);
--> statement-breakpoint
CREATE TABLE "sms_thread_reads" (
	"organization_id" uuid NOT NULL,
	"number" text NOT NULL,
	"read_through" timestamp with time zone NOT NULL,
	CONSTRAINT "sms_thread_reads_organization_id_number_pk" PRIMARY KEY("organization_id","number")
);
--> statement-breakpoint
ALTER TABLE "missed_call_text_settings" ADD CONSTRAINT "missed_call_text_settings_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "missed_call_texts" ADD CONSTRAINT "missed_call_texts_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "missed_call_texts" ADD CONSTRAINT "missed_call_texts_call_id_calls_id_fk" FOREIGN KEY ("call_id") REFERENCES "public"."calls"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "privacy_settings" ADD CONSTRAINT "privacy_settings_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sms_opt_outs" ADD CONSTRAINT "sms_opt_outs_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sms_thread_reads" ADD CONSTRAINT "sms_thread_reads_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- hand-written: begin
-- Full-text search over what was said and summarized ('simple': offices speak several languages).
ALTER TABLE "calls" ADD COLUMN IF NOT EXISTS "search_vector" tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, coalesce("summary", '') || ' ' || left(coalesce("transcript", ''), 200000))) STORED;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "calls_search_idx" ON "calls" USING gin ("search_vector");--> statement-breakpoint
-- The list's order: start time (creation time until a call has started), newest first, id breaking ties.
CREATE INDEX IF NOT EXISTS "calls_organization_sort_idx" ON "calls" USING btree ("organization_id", (coalesce("started_at", "created_at")) DESC, "id" DESC);--> statement-breakpoint
-- One text thread per other party.
CREATE INDEX IF NOT EXISTS "sms_messages_thread_idx" ON "sms_messages" USING btree ("organization_id", (CASE WHEN "direction" = 'INBOUND' THEN "from" ELSE "to" END), "created_at");
-- hand-written: end
