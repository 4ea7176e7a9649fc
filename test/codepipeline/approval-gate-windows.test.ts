import { isOpen, isValidTimeZone, localTime, nextOpening, parseClock, WindowSpec } from '../../src/codepipeline/private/windows';

const WEEKDAYS = [1, 2, 3, 4, 5];
const berlinOffice: WindowSpec = { days: WEEKDAYS, startMinute: 9 * 60, endMinute: 17 * 60, timeZone: 'Europe/Berlin' };

describe('local time', () => {
  test('reads the weekday and minute on the wall clocks of the time zone, across the day boundary', () => {
    // Sunday 23:30 UTC is Monday 00:30 in Berlin (CET, UTC+1) and Sunday 18:30 in New York (EST, UTC-5).
    expect(localTime(new Date('2026-03-01T23:30:00Z'), 'Europe/Berlin')).toEqual({ day: 1, minute: 30 });
    expect(localTime(new Date('2026-03-01T23:30:00Z'), 'America/New_York')).toEqual({ day: 0, minute: 18 * 60 + 30 });
    expect(localTime(new Date('2026-03-02T00:00:00Z'), 'UTC')).toEqual({ day: 1, minute: 0 });
  });
});

describe('isOpen', () => {
  test('is open from the start minute up to, not including, the end minute on the window\'s days', () => {
    expect(isOpen(berlinOffice, new Date('2026-03-02T07:59:00Z'))).toBe(false); // Monday 08:59 CET
    expect(isOpen(berlinOffice, new Date('2026-03-02T08:00:00Z'))).toBe(true); // Monday 09:00 CET
    expect(isOpen(berlinOffice, new Date('2026-03-02T15:59:00Z'))).toBe(true); // Monday 16:59 CET
    expect(isOpen(berlinOffice, new Date('2026-03-02T16:00:00Z'))).toBe(false); // Monday 17:00 CET
    expect(isOpen(berlinOffice, new Date('2026-03-07T10:00:00Z'))).toBe(false); // Saturday
  });

  test('a window until 24:00 stays open until midnight', () => {
    const evening: WindowSpec = { days: [1], startMinute: 20 * 60, endMinute: 24 * 60, timeZone: 'UTC' };
    expect(isOpen(evening, new Date('2026-03-02T23:59:00Z'))).toBe(true);
    expect(isOpen(evening, new Date('2026-03-03T00:00:00Z'))).toBe(false);
  });
});

describe('nextOpening', () => {
  test('after the window closes on Friday, it is Monday 09:00 in Berlin', () => {
    expect(nextOpening([berlinOffice], new Date('2026-03-06T16:00:00Z'))?.toISOString()).toBe('2026-03-09T08:00:00.000Z');
  });

  test('an open window opens now, rounded up to the whole minute', () => {
    expect(nextOpening([berlinOffice], new Date('2026-03-02T10:00:30Z'))?.toISOString()).toBe('2026-03-02T10:01:00.000Z');
  });

  test('the earliest of several windows in different time zones wins', () => {
    const newYork: WindowSpec = { days: WEEKDAYS, startMinute: 9 * 60, endMinute: 17 * 60, timeZone: 'America/New_York' };
    // Monday 17:00 Berlin (16:00Z): New York opens at 09:00 EST = 14:00Z, already open at 16:00Z.
    expect(nextOpening([berlinOffice, newYork], new Date('2026-03-02T16:00:00Z'))?.toISOString()).toBe('2026-03-02T16:00:00.000Z');
    // Monday 22:00Z: New York closed at 22:00Z; Berlin opens Tuesday 08:00Z, New York Tuesday 14:00Z.
    expect(nextOpening([berlinOffice, newYork], new Date('2026-03-02T22:00:00Z'))?.toISOString()).toBe('2026-03-03T08:00:00.000Z');
  });

  test('follows daylight saving time: 09:00 in Berlin is 08:00Z before the change and 07:00Z after it', () => {
    const daily: WindowSpec = { days: [0, 1, 2, 3, 4, 5, 6], startMinute: 9 * 60, endMinute: 10 * 60, timeZone: 'Europe/Berlin' };
    expect(nextOpening([daily], new Date('2026-03-28T09:00:00Z'))?.toISOString()).toBe('2026-03-29T07:00:00.000Z');
    expect(nextOpening([daily], new Date('2026-03-27T00:00:00Z'))?.toISOString()).toBe('2026-03-27T08:00:00.000Z');
  });

  test('a wall time the spring change skips opens a week later', () => {
    // 02:00-03:00 on Sunday 29 March 2026 does not exist in Berlin (the clocks jump from 02:00 CET to 03:00 CEST).
    const skipped: WindowSpec = { days: [0], startMinute: 2 * 60, endMinute: 3 * 60, timeZone: 'Europe/Berlin' };
    expect(nextOpening([skipped], new Date('2026-03-28T12:00:00Z'))?.toISOString()).toBe('2026-04-05T00:00:00.000Z');
  });

  test('a wall time the autumn change repeats opens at its first occurrence', () => {
    // 01:00-02:00 on Sunday 1 November 2026 happens twice in New York: first as EDT (05:00Z), then as EST (06:00Z).
    const repeated: WindowSpec = { days: [0], startMinute: 60, endMinute: 120, timeZone: 'America/New_York' };
    expect(nextOpening([repeated], new Date('2026-10-31T12:00:00Z'))?.toISOString()).toBe('2026-11-01T05:00:00.000Z');
    expect(isOpen(repeated, new Date('2026-11-01T06:30:00Z'))).toBe(true);
  });

  test('is undefined when no window opens within 8 days', () => {
    expect(nextOpening([{ days: [], startMinute: 0, endMinute: 60, timeZone: 'UTC' }], new Date('2026-03-02T00:00:00Z'))).toBeUndefined();
  });
});

describe('parsing', () => {
  test.each([
    ['00:00', 0], ['09:05', 545], ['23:59', 1439], ['24:00', 1440],
  ])('parses %s', (text, minutes) => {
    expect(parseClock(text)).toBe(minutes);
  });

  test.each(['9:00', '24:01', '25:00', '12:60', '12.30', ''])('refuses %j', text => {
    expect(parseClock(text)).toBeUndefined();
  });

  test('knows IANA time zones', () => {
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Europe/Munich')).toBe(false);
    expect(isValidTimeZone('GMT+25')).toBe(false);
  });
});
