ALTER TABLE "calls" ADD COLUMN "vapi_deleted_at" timestamp with time zone;--> statement-breakpoint
-- hand-written: begin
-- Search also finds the caller by the name the assistant heard (the outcome's callerName).
ALTER TABLE "calls" DROP COLUMN IF EXISTS "search_vector";--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "search_vector" tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, coalesce("outcome"->>'callerName', '') || ' ' || coalesce("summary", '') || ' ' || left(coalesce("transcript", ''), 200000))) STORED;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "calls_search_idx" ON "calls" USING gin ("search_vector");
-- hand-written: end
