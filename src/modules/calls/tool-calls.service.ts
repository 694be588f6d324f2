import type { AppContext } from '../../context.js';
import { toolCallsOf, type VapiServerMessage, type VapiToolResult } from '../../providers/vapi/webhook.js';
import { findAssistantByVapiId } from './calls.repo.js';

/** VAPI waits about 20 s for a tool answer; we stay well inside that. */
export const TOOL_BUDGET_MS = 8_000;

export interface ToolInvocation {
  organizationId: string;
  vapiCallId?: string;
  args: Record<string, unknown>;
  signal: AbortSignal;
}
export type ToolHandler = (ctx: AppContext, call: ToolInvocation) => Promise<string>;

/** Tools by function name; the calendar tools register here when a calendar is connected. */
export const TOOL_HANDLERS = new Map<string, ToolHandler>();

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim().slice(0, 1000);

/**
 * Answers a `tool-calls` message with the `results` array VAPI expects: one single-line
 * result or error per call, each bounded by TOOL_BUDGET_MS, never an HTTP error.
 */
export async function answerToolCalls(ctx: AppContext, message: VapiServerMessage): Promise<VapiToolResult[]> {
  const calls = toolCallsOf(message);
  const owner = message.call?.assistantId ? await findAssistantByVapiId(ctx.db, message.call.assistantId) : undefined;
  return Promise.all(
    calls.map(async (call): Promise<VapiToolResult> => {
      const handler = TOOL_HANDLERS.get(call.name);
      if (!owner || !handler) return { toolCallId: call.id, name: call.name, error: `The ${call.name} tool is not available.` };
      try {
        const signal = AbortSignal.timeout(TOOL_BUDGET_MS);
        const timedOut = new Promise<never>((_, reject) =>
          signal.addEventListener('abort', () => reject(new Error('it took too long')), { once: true }),
        );
        const invocation = { organizationId: owner.organizationId, vapiCallId: message.call?.id, args: call.arguments, signal };
        const result = await Promise.race([handler(ctx, invocation), timedOut]);
        return { toolCallId: call.id, name: call.name, result: oneLine(result) };
      } catch (err) {
        ctx.log.warn({ err, tool: call.name }, 'tool call failed');
        return { toolCallId: call.id, name: call.name, error: oneLine(`Sorry, ${call.name} failed: ${(err as Error).message}`) };
      }
    }),
  );
}
