import { describe, expect, it } from 'vitest';
import { formatDuration, formatMinutes } from '../web/src/format.js';
import { greetingName } from '../web/src/names.js';

describe('greetingName', () => {
  it('greets by the first name, skipping a title however it is written', () => {
    expect(greetingName('Sarah Chen')).toBe('Sarah');
    expect(greetingName('Dr Sarah Chen')).toBe('Sarah');
    expect(greetingName('Dr. Sarah Chen')).toBe('Sarah');
    expect(greetingName('  dr.   Sarah   Chen ')).toBe('Sarah');
    for (const title of ['Mr', 'Mrs', 'Ms', 'Miss', 'Mx', 'Prof', 'Prof.', 'Professor', 'Doctor', 'Rev.']) {
      expect(greetingName(`${title} Alex Morgan`), title).toBe('Alex');
    }
    expect(greetingName('Prof. Dr. Hanna Weber')).toBe('Hanna');
  });

  it('keeps the full name when a title stands before a surname alone, or there is nothing else', () => {
    expect(greetingName('Dr Chen')).toBe('Dr Chen');
    expect(greetingName('Dr. Chen')).toBe('Dr. Chen');
    expect(greetingName('Dr')).toBe('Dr');
    expect(greetingName('Cher')).toBe('Cher');
  });

  it('does not mistake a name that starts like a title', () => {
    expect(greetingName('Drew Barry')).toBe('Drew');
    expect(greetingName('Msiska Banda')).toBe('Msiska');
  });
});

describe('one format for minutes', () => {
  it('a duration is m:ss', () => {
    expect(formatDuration(120)).toBe('2:00');
    expect(formatDuration(564)).toBe('9:24');
    expect(formatDuration(59.6)).toBe('1:00');
    expect(formatDuration(null)).toBe('—');
  });

  it('a count of minutes is whole minutes, never a decimal', () => {
    expect(formatMinutes(9.4)).toBe('9');
    expect(formatMinutes(9.5)).toBe('10');
    expect(formatMinutes(2)).toBe('2');
    expect(formatMinutes(1500)).toBe('1,500');
    expect(formatMinutes(0)).toBe('0');
    expect(formatMinutes(0.2)).toBe('<1');
    for (const n of [0.01, 3.33, 12.75, 99.49, 1234.5]) expect(formatMinutes(n)).not.toMatch(/[.:]/);
  });
});
