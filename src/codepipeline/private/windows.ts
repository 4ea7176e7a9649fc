/**
 * Deployment-window arithmetic in a time zone, shared by the construct (validation) and the evaluator.
 *
 * Times are found by stepping through UTC minutes and reading each one's wall-clock time in the window's
 * time zone with Intl: daylight saving changes need no special case (a wall time skipped in spring never
 * matches, one repeated in autumn opens the window at its first occurrence).
 */

/** Days as the evaluator receives them: 0 is Sunday (as `Date.getUTCDay`), 6 is Saturday. */
export interface WindowSpec {
  /** The days the window opens on (0 Sunday to 6 Saturday). */
  readonly days: number[];
  /** Minutes after local midnight the window opens (0 to 1439). */
  readonly startMinute: number;
  /** Minutes after local midnight the window closes (1 to 1440, after `startMinute`). */
  readonly endMinute: number;
  /** An IANA time zone, e.g. `Europe/Berlin`. */
  readonly timeZone: string;
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const MINUTE = 60_000;
/** How far ahead the next opening is looked for: a weekly window always opens within 8 days. */
const SEARCH_MINUTES = 8 * 24 * 60;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Whether Intl knows the IANA time zone (`Europe/Berlin`, `UTC`). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The weekday (0 Sunday) and minute of the day of an instant on the wall clocks of a time zone. */
export function localTime(instant: Date, timeZone: string): { day: number; minute: number } {
  const parts = formatter(timeZone).formatToParts(instant);
  const part = (type: string) => parts.find(p => p.type === type)?.value ?? '';
  return { day: WEEKDAYS[part('weekday')], minute: Number(part('hour')) * 60 + Number(part('minute')) };
}

/** Whether a window is open at an instant. */
export function isOpen(window: WindowSpec, instant: Date): boolean {
  const { day, minute } = localTime(instant, window.timeZone);
  return window.days.includes(day) && minute >= window.startMinute && minute < window.endMinute;
}

/** The first whole minute at or after `from` when one of the windows is open, or undefined when none opens within 8 days. */
export function nextOpening(windows: WindowSpec[], from: Date): Date | undefined {
  const start = Math.ceil(from.getTime() / MINUTE) * MINUTE;
  for (let i = 0; i <= SEARCH_MINUTES; i++) {
    const t = new Date(start + i * MINUTE);
    if (windows.some(w => isOpen(w, t))) return t;
  }
  return undefined;
}

/** Parses `HH:MM` (00:00 to 24:00) into minutes after midnight, or undefined when it is not one. */
export function parseClock(value: string): number | undefined {
  const m = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(value);
  if (!m) return undefined;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return minutes <= 24 * 60 ? minutes : undefined;
}
