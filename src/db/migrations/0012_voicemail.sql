ALTER TABLE "call_handling_settings" ADD COLUMN "voicemail_detection" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "call_handling_settings" ADD COLUMN "voicemail_message" text;