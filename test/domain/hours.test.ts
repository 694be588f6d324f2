import { describe, expect, it } from 'vitest';
import { BusinessHoursSchema, describeHours, formatTime, isValidTimeZone } from '../../src/domain/hours.js';

const nineToFive = { open: '09:00', close: '17:00', closed: false };

describe('business hours', () => {
  it('describes a week in words, grouping equal days', () => {
    expect(
      describeHours({
        monday: nineToFive,
        tuesday: nineToFive,
        wednesday: nineToFive,
        thursday: nineToFive,
        friday: nineToFive,
        saturday: { open: '10:00', close: '14:30', closed: false },
        sunday: { closed: true },
      }),
    ).toBe('Monday to Friday, 9 AM to 5 PM; Saturday, 10 AM to 2:30 PM; closed Sunday');
    expect(describeHours({ monday: nineToFive })).toBe('Monday, 9 AM to 5 PM; closed Tuesday to Sunday');
    expect(describeHours({})).toBe('No opening hours are set.');
  });

  it('formats noon and midnight', () => {
    expect([formatTime('00:00'), formatTime('12:00'), formatTime('12:15'), formatTime('23:59')]).toEqual([
      '12 AM',
      '12 PM',
      '12:15 PM',
      '11:59 PM',
    ]);
  });

  it('refuses malformed times, open after close, and unknown days', () => {
    expect(BusinessHoursSchema.safeParse({ monday: { open: '9:00', close: '17:00' } }).success).toBe(false);
    expect(BusinessHoursSchema.safeParse({ monday: { open: '18:00', close: '09:00' } }).success).toBe(false);
    expect(BusinessHoursSchema.safeParse({ monday: { open: '09:00' } }).success).toBe(false);
    expect(BusinessHoursSchema.safeParse({ funday: nineToFive }).success).toBe(false);
    expect(BusinessHoursSchema.safeParse({ sunday: { closed: true } }).success).toBe(true);
  });

  it('knows real IANA zones', () => {
    expect(isValidTimeZone('America/Los_Angeles')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isValidTimeZone('EST')).toBe(false);
  });
});
