/**
 * EventBridge Scheduler's `cron()` and `at()` expressions, evaluated in their time zone, for the freeze windows:
 * when did a schedule last fire, is a window open, and which times of a zone's daylight-saving days Scheduler skips.
 *
 * Scheduler evaluates a schedule in its time zone. On the day the clocks jump forward it skips a time that does not
 * exist (02:30 in New York on 14 March 2027), and on the day they fall back it fires a repeated time once. Here a
 * skipped time counts as fired at the moment the clocks jump (03:00 in New York), and a repeated time at its first
 * occurrence, so a window's state is defined at every instant; the windows add a schedule that fires at that moment
 * (`catchUpExpressions`), and every firing applies the state the definition gives for its own instant.
 */

/** A schedule expression and the time zone Scheduler evaluates it in. */
export interface ScheduleSpec {
  /** `cron(minutes hours day-of-month month day-of-week year)` or `at(yyyy-mm-ddThh:mm:ss)`. */
  readonly expression: string;
  /** An IANA time zone. @default 'UTC' (Scheduler's default) */
  readonly timeZone?: string;
}

/** A firing: its instant (epoch milliseconds) and the local wall time it was scheduled for (as epoch milliseconds of that wall time in UTC). */
export interface Firing {
  readonly instant: number;
  readonly wall: number;
}

interface CronSchedule {
  readonly kind: 'cron';
  readonly minutes: number[];
  readonly hours: number[];
  readonly matchesDay: (year: number, month: number, day: number) => boolean;
  /** The day fields as written (day-of-month, month, day-of-week, year), for schedules on the same days. */
  readonly dayFields: string;
  readonly minYear: number;
}

interface AtSchedule {
  readonly kind: 'at';
  readonly wall: number;
}

type Schedule = CronSchedule | AtSchedule;

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** How far back a cron's last firing is looked for: eight years covers a yearly 29 February (2096, then 2104). */
const LOOKBACK_DAYS = 8 * 366;
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** A problem with a schedule expression, in words. */
export class ScheduleError extends Error {}

/** Parses one item list of a cron field (`*`, `5`, `1-5`, `*\/15`, `10-50/10`, `MON-FRI`, lists of them) into its values. */
function parseField(text: string, field: string, min: number, max: number, names: string[] = []): number[] {
  const value = (v: string): number => {
    const named = names.indexOf(v.toUpperCase());
    const n = named >= 0 ? named + min : /^\d+$/.test(v) ? Number(v) : NaN;
    if (!(n >= min && n <= max)) throw new ScheduleError(`${field} '${v}' is not ${min} to ${max}${names.length > 0 ? ` or ${names[0]}-${names[names.length - 1]}` : ''}`);
    return n;
  };
  const values = new Set<number>();
  for (const item of text.split(',')) {
    const [range, stepText] = item.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!(Number.isInteger(step) && step >= 1) || item.split('/').length > 2) throw new ScheduleError(`${field} '${item}' has a bad step`);
    let from: number; let to: number;
    if (range === '*') {
      [from, to] = [min, max];
    } else if (range.includes('-')) {
      const [a, b] = range.split('-');
      [from, to] = [value(a), value(b)];
      if (from > to) throw new ScheduleError(`${field} '${item}' runs backwards`);
    } else {
      from = value(range);
      to = stepText === undefined ? from : max;
    }
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return [...values].sort((a, b) => a - b);
}

function lastDayOf(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** 1 (Sunday) to 7 (Saturday), as cron numbers the days of the week. */
function weekdayOf(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;
}

/** The weekday nearest to a day of the month, within the month (`15W`). */
function nearestWeekday(year: number, month: number, day: number): number {
  const last = lastDayOf(year, month);
  const d = Math.min(day, last);
  const dow = weekdayOf(year, month, d);
  if (dow === 7) return d === 1 ? 3 : d - 1; // Saturday: Friday, or Monday the 3rd
  if (dow === 1) return d === last ? d - 2 : d + 1; // Sunday: Monday, or Friday before the last day
  return d;
}

function dayOfMonthRule(text: string): (year: number, month: number, day: number) => boolean {
  if (text === '?') return () => true;
  const rules = text.split(',').map(item => {
    if (item === 'L') return (y: number, m: number, d: number) => d === lastDayOf(y, m);
    if (item === 'LW') return (y: number, m: number, d: number) => d === nearestWeekday(y, m, lastDayOf(y, m));
    const w = /^(\d+)W$/.exec(item);
    if (w) {
      const n = parseField(w[1], 'day-of-month', 1, 31)[0];
      return (y: number, m: number, d: number) => d === nearestWeekday(y, m, n);
    }
    const days = parseField(item, 'day-of-month', 1, 31);
    return (_y: number, _m: number, d: number) => days.includes(d);
  });
  return (y, m, d) => rules.some(r => r(y, m, d));
}

function dayOfWeekRule(text: string): (year: number, month: number, day: number) => boolean {
  if (text === '?') return () => true;
  const weekday = (v: string) => parseField(v, 'day-of-week', 1, 7, WEEKDAYS)[0];
  const rules = text.split(',').map(item => {
    const last = /^(\w+)?L$/.exec(item);
    if (last) {
      const n = last[1] === undefined ? 7 : weekday(last[1]);
      return (y: number, m: number, d: number) => weekdayOf(y, m, d) === n && d + 7 > lastDayOf(y, m);
    }
    const nth = /^(\w+)#([1-5])$/.exec(item);
    if (nth) {
      const n = weekday(nth[1]);
      const k = Number(nth[2]);
      return (y: number, m: number, d: number) => weekdayOf(y, m, d) === n && Math.ceil(d / 7) === k;
    }
    const days = parseField(item, 'day-of-week', 1, 7, WEEKDAYS);
    return (y: number, m: number, d: number) => days.includes(weekdayOf(y, m, d));
  });
  return (y, m, d) => rules.some(r => r(y, m, d));
}

/** Parses a `cron()` or `at()` expression; a `rate()` has no time of day, so a window cannot be derived from it. */
export function parseSchedule(expression: string): Schedule {
  const text = expression.trim();
  const at = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/.exec(text);
  if (at) {
    const [y, mo, d, h, mi, s] = at.slice(1).map(Number);
    const wall = Date.UTC(y, mo - 1, d, h, mi, s);
    const back = new Date(wall);
    if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) throw new ScheduleError(`'${text}' is not a date and time`);
    return { kind: 'at', wall };
  }
  if (/^rate\(/.test(text)) {
    throw new ScheduleError(`'${text}' is a rate: it counts from when the schedule was created and has no time of day, so whether the window is open cannot be known`);
  }
  const cron = /^cron\((.*)\)$/.exec(text);
  if (!cron) throw new ScheduleError(`'${text}' is neither cron(...) nor at(...)`);
  const fields = cron[1].trim().split(/\s+/);
  if (fields.length !== 6) throw new ScheduleError(`'${text}' has ${fields.length} fields; a cron expression has six: minutes hours day-of-month month day-of-week year`);
  const [minutes, hours, dom, month, dow, year] = fields;
  if ((dom === '?') === (dow === '?')) {
    throw new ScheduleError(`'${text}' must have ? in exactly one of day-of-month and day-of-week`);
  }
  const months = parseField(month, 'month', 1, 12, MONTHS);
  const years = parseField(year, 'year', 1970, 2199);
  const matchesDom = dayOfMonthRule(dom);
  const matchesDow = dayOfWeekRule(dow);
  return {
    kind: 'cron',
    minutes: parseField(minutes, 'minutes', 0, 59),
    hours: parseField(hours, 'hours', 0, 23),
    matchesDay: (y, m, d) => years.includes(y) && months.includes(m) && matchesDom(y, m, d) && matchesDow(y, m, d),
    dayFields: `${dom} ${month} ${dow} ${year}`,
    minYear: years[0],
  };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall time of an instant in a time zone, as epoch milliseconds of that wall time in UTC. */
export function wallOf(instant: number, timeZone: string): number {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(new Date(instant)).map(p => [p.type, p.value]));
  const n = (type: string) => Number(parts[type]);
  return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour') % 24, n('minute'), n('second'));
}

/** The zone's offset from UTC at an instant, in milliseconds (to the minute). */
function offsetAt(instant: number, timeZone: string): number {
  const whole = Math.floor(instant / 1000) * 1000;
  return wallOf(whole, timeZone) - whole;
}

/**
 * The instant a local wall time happens in a time zone: its first occurrence when the clocks fall back and it comes
 * twice; when the clocks jump over it, the moment they jump.
 */
export function instantOf(wall: number, timeZone: string): number {
  // Offsets are within a day of UTC and a zone changes them weeks apart at the least: two days either side are
  // the offsets before and after any change near this wall time.
  const before = offsetAt(wall - 2 * DAY, timeZone);
  const after = offsetAt(wall + 2 * DAY, timeZone);
  const candidates = [wall - before, wall - after].filter(t => wallOf(t, timeZone) === wall);
  if (candidates.length > 0) return Math.min(...candidates);
  // A gap: the first instant after wall - after (local before the gap) whose offset is the later one.
  let lo = wall - after;
  let hi = wall - before;
  while (hi - lo > MINUTE) {
    const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
    if (offsetAt(mid, timeZone) === after) hi = mid; else lo = mid;
  }
  return hi;
}

/** The last firing of a schedule at or before `now` (see the module's comment for daylight saving), if any. */
export function lastFiring(spec: ScheduleSpec, now: number): Firing | undefined {
  const timeZone = spec.timeZone ?? 'UTC';
  const schedule = parseSchedule(spec.expression);
  if (schedule.kind === 'at') {
    const instant = instantOf(schedule.wall, timeZone);
    return instant <= now ? { instant, wall: schedule.wall } : undefined;
  }
  const today = new Date(wallOf(now, timeZone));
  for (let back = 0; back <= LOOKBACK_DAYS; back++) {
    const date = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - back));
    const [y, m, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
    if (y < schedule.minYear) return undefined;
    if (!schedule.matchesDay(y, m, d)) continue;
    for (let h = schedule.hours.length - 1; h >= 0; h--) {
      for (let i = schedule.minutes.length - 1; i >= 0; i--) {
        const wall = Date.UTC(y, m - 1, d, schedule.hours[h], schedule.minutes[i]);
        const instant = instantOf(wall, timeZone);
        if (instant <= now) return { instant, wall };
      }
    }
  }
  return undefined;
}

/**
 * Whether a window that opens at `start`'s firings and closes at `end`'s is open at `now`: its last opening is later
 * than its last closing (when both count at one instant, e.g. both skipped by one jump, the later wall time wins).
 */
export function isWindowOpen(start: ScheduleSpec, end: ScheduleSpec, now: number): boolean {
  const opened = lastFiring(start, now);
  if (!opened) return false;
  const closed = lastFiring(end, now);
  if (!closed) return true;
  return opened.instant !== closed.instant ? opened.instant > closed.instant : opened.wall > closed.wall;
}

/** A range of local wall times a zone skips when its clocks jump forward: minutes of the day, `from` included, `to` not. */
export interface Gap {
  readonly from: number;
  readonly to: number;
}

const gapCache = new Map<string, Gap[]>();

/**
 * The wall times a time zone skips on its spring-forward days, from 2025 to 2045 (the zone's rules in the time-zone
 * database of this Node.js), without repeats: `[{ from: 120, to: 180 }]` (02:00 to 03:00) for America/New_York.
 */
export function gapsOf(timeZone: string): Gap[] {
  const cached = gapCache.get(timeZone);
  if (cached) return cached;
  const gaps: Gap[] = [];
  // A week apart: a zone changes its offset weeks apart at the least, and a change between two samples is searched.
  const step = 7 * DAY;
  let previous = offsetAt(Date.UTC(2025, 0, 1), timeZone);
  for (let t = Date.UTC(2025, 0, 1) + step; t < Date.UTC(2046, 0, 1); t += step) {
    const offset = offsetAt(t, timeZone);
    if (offset > previous) {
      let lo = t - step;
      let hi = t;
      while (hi - lo > MINUTE) {
        const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
        if (offsetAt(mid, timeZone) === offset) hi = mid; else lo = mid;
      }
      const to = Math.round(((wallOf(hi, timeZone) % DAY) + DAY) % DAY / MINUTE);
      const from = to - (offset - previous) / MINUTE;
      if (from >= 0 && !gaps.some(g => g.from === from && g.to === to)) gaps.push({ from, to });
    }
    previous = offset;
  }
  gapCache.set(timeZone, gaps);
  return gaps;
}

function clock(minutes: number): { h: number; m: number; text: string } {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return { h, m, text: `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00` };
}

/**
 * The schedules that fire when Scheduler skips one of `spec`'s times: for each of the zone's spring-forward gaps that
 * one of its times falls in, a schedule at the gap's end on the same days (`cron(0 3 ? * MON-FRI *)` for a
 * `cron(30 2 ? * MON-FRI *)` in New York), or, for an `at()` in a gap, one at the gap's end that day. A gap that ends
 * at midnight has no such time that day; none is added for it.
 */
export function catchUpExpressions(spec: ScheduleSpec): string[] {
  const timeZone = spec.timeZone ?? 'UTC';
  const schedule = parseSchedule(spec.expression);
  if (schedule.kind === 'at') {
    const jump = wallOf(instantOf(schedule.wall, timeZone), timeZone);
    return jump === schedule.wall ? [] : [`at(${new Date(jump).toISOString().slice(0, 19)})`];
  }
  return gapsOf(timeZone)
    .filter(g => g.to < 24 * 60)
    .filter(g => schedule.hours.some(h => schedule.minutes.some(m => h * 60 + m >= g.from && h * 60 + m < g.to)))
    .map(g => `cron(${clock(g.to).m} ${clock(g.to).h} ${schedule.dayFields})`);
}
