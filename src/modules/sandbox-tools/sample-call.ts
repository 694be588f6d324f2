/** What a simulated caller wants: the lines of the conversation after the greeting, and its summary. */
interface Scenario {
  lines: (business: string) => string[];
  summary: string;
}

const SCENARIOS: Scenario[] = [
  {
    lines: () => [
      "User: Hi, I'd like to book an appointment next week, Tuesday afternoon if you have anything.",
      "AI: I'd be happy to help with that. May I have your name, please?",
      "User: It's Sam Carter.",
      "AI: Thanks, Sam. I've noted Tuesday afternoon for you, and the team will text this number to confirm the exact time. Anything else?",
      "User: No, that's everything. Thanks!",
      'AI: You are welcome, Sam. Have a great day!',
    ],
    summary: 'Sam Carter asked for an appointment on Tuesday afternoon; the team will text this number to confirm the time.',
  },
  {
    lines: () => [
      'User: Hello, this is Priya from Northside Supplies. Could you tell the manager that our delivery moves to Thursday?',
      "AI: Of course, Priya. I'll pass on that the delivery moves to Thursday. Is this the best number to reach you?",
      'User: Yes, it is.',
      "AI: Great, I've taken the message. Thanks for calling!",
    ],
    summary: 'Priya from Northside Supplies left a message for the manager: the delivery moves to Thursday. Call back on this number if needed.',
  },
  {
    lines: (business) => [
      "User: Hi, are you taking new customers? I'm looking for a quote.",
      "AI: We are! I can take your details and have someone call you back with a quote. What's your name?",
      'User: Alex Moreno.',
      `AI: Thanks, Alex. Someone from ${business} will call you back on this number. Anything else I can help with?`,
      'User: No, thanks. Bye!',
    ],
    summary: 'New customer Alex Moreno asked for a quote; promised a call back on this number.',
  },
];

/** Area codes of the fictional 555-01XX callers (the range set aside for fiction). */
const AREA_CODES = ['212', '312', '415', '512', '617'];

const pickFrom = <T>(list: readonly T[], random: () => number) => list[Math.floor(random() * list.length)]!;

/**
 * A believable call to a receptionist, for the sandbox's "Simulate a call": the assistant's
 * own greeting, a fictional caller with one of a few everyday requests, one to three minutes.
 */
export function sampleCall(o: { business: string; greeting?: string | null }, random: () => number = Math.random) {
  const scenario = pickFrom(SCENARIOS, random);
  const business = o.business.trim() || 'the business';
  const greeting = o.greeting?.replace(/\s+/g, ' ').trim() || `Thank you for calling ${business}, how can I help you today?`;
  return {
    customerNumber: `+1${pickFrom(AREA_CODES, random)}55501${String(Math.floor(random() * 100)).padStart(2, '0')}`,
    durationSeconds: 60 + Math.floor(random() * 121),
    transcript: [`AI: ${greeting}`, ...scenario.lines(business)].join('\n'),
    summary: scenario.summary,
  };
}
