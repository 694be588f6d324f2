CREATE TABLE "kb_sections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"assistant_id" uuid NOT NULL,
	"key" text NOT NULL,
	"text" text NOT NULL,
	"vapi_file_id" text,
	"file_name" text NOT NULL,
	"source_file_name" text,
	"source_file_size" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "assistants" ADD COLUMN "kb_tool_id" text;--> statement-breakpoint
ALTER TABLE "kb_sections" ADD CONSTRAINT "kb_sections_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_sections" ADD CONSTRAINT "kb_sections_assistant_id_assistants_id_fk" FOREIGN KEY ("assistant_id") REFERENCES "public"."assistants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "kb_sections_assistant_key" ON "kb_sections" USING btree ("assistant_id","key");--> statement-breakpoint
CREATE INDEX "kb_sections_organization_idx" ON "kb_sections" USING btree ("organization_id");