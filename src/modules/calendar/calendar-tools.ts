import type { AssistantTool } from '../../providers/vapi/port.js';

export const CHECK_AVAILABILITY = 'check_availability';
export const BOOK_APPOINTMENT = 'book_appointment';

/** The two function tools a connected calendar gives the assistant. */
export const CALENDAR_TOOLS: AssistantTool[] = [
  {
    type: 'function',
    name: CHECK_AVAILABILITY,
    description: 'Find open appointment times. Call before offering times to the caller.',
    parameters: {
      type: 'object',
      properties: { date: { type: 'string', description: 'First day to look at, YYYY-MM-DD (default: today)' } },
    },
  },
  {
    type: 'function',
    name: BOOK_APPOINTMENT,
    description: 'Book one of the times check_availability returned, after the caller confirmed it.',
    parameters: {
      type: 'object',
      properties: {
        start: { type: 'string', description: 'The exact time string returned by check_availability' },
        name: { type: 'string', description: "The caller's full name" },
        phone: { type: 'string', description: "The caller's phone number" },
        email: { type: 'string', description: "The caller's email, if given" },
      },
      required: ['start', 'name'],
    },
  },
];

const isCalendarTool = (t: AssistantTool) => t.type === 'function' && (t.name === CHECK_AVAILABILITY || t.name === BOOK_APPOINTMENT);

export const withCalendarTools = (tools: AssistantTool[]) => [...tools.filter((t) => !isCalendarTool(t)), ...CALENDAR_TOOLS];
export const withoutCalendarTools = (tools: AssistantTool[]) => tools.filter((t) => !isCalendarTool(t));
