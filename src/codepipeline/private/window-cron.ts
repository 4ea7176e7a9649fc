/**
 * The cron syntax of CodePipeline's DeploymentWindow rule, as its rule reference documents it: six fields and an
 * optional seventh (seconds, minutes, hours, day-of-month, month, day-of-week, year), separated by spaces, with
 * `* , - /` everywhere, `?` in day-of-month and day-of-week, `L W` in day-of-month and `L #` in day-of-week. The
 * seconds field allows only `*`; the reference's own example gives `0` there, so `0` passes too.
 */

interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Names that stand for values (JAN = 1, SUN = 1), in value order from `min`. */
  readonly names?: readonly string[];
  readonly example: string;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const MINUTES: CronField = { name: 'minutes', min: 0, max: 59, example: '0, 0-29 or */15' };
const HOURS: CronField = { name: 'hours', min: 0, max: 23, example: '9-16 or 22' };
const DAY_OF_MONTH: CronField = { name: 'day-of-month', min: 1, max: 31, example: '1-15, L or 15W' };
const MONTH: CronField = { name: 'month', min: 1, max: 12, names: MONTHS, example: '1-6 or JAN,JUL' };
const DAY_OF_WEEK: CronField = { name: 'day-of-week', min: 1, max: 7, names: DAYS, example: 'MON-FRI, 2-6 or 6#3' };
const YEAR: CronField = { name: 'year', min: 1970, max: 2199, example: '2026 or *' };

/** The value a number or a name stands for in a field, or undefined when it is neither. */
function valueOf(field: CronField, text: string): number | undefined {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n >= field.min && n <= field.max ? n : undefined;
  }
  const index = field.names?.indexOf(text.toUpperCase()) ?? -1;
  return index >= 0 ? field.min + index : undefined;
}

/** What is wrong with one comma-separated item of a field; undefined when it is valid. */
function itemProblem(field: CronField, item: string): string | undefined {
  const allowed = `${field.min}-${field.max}${field.names ? ` or ${field.names[0]}-${field.names[field.names.length - 1]}` : ''}`;
  const bad = (why: string) => `${field.name} '${item}' ${why} (allowed: ${allowed} with , - * /${specials(field)}, e.g. ${field.example})`;
  const upper = item.toUpperCase();
  if (field === DAY_OF_MONTH) {
    if (upper === 'L' || upper === 'LW') return undefined;
    const offset = /^L-(\d+)$/.exec(upper);
    if (offset) return Number(offset[1]) >= 1 && Number(offset[1]) <= 30 ? undefined : bad('is not an offset of 1 to 30 days from the last');
    const weekday = /^(\d+)W$/.exec(upper);
    if (weekday) return valueOf(field, weekday[1]) !== undefined ? undefined : bad('is not a day of the month before W');
  }
  if (field === DAY_OF_WEEK) {
    if (upper === 'L') return undefined;
    const last = /^(\w+)L$/.exec(upper);
    if (last) return valueOf(field, last[1]) !== undefined ? undefined : bad('is not a day of the week before L');
    const nth = /^(\w+)#(\d+)$/.exec(upper);
    if (nth) {
      if (valueOf(field, nth[1]) === undefined) return bad('is not a day of the week before #');
      return Number(nth[2]) >= 1 && Number(nth[2]) <= 5 ? undefined : bad('asks for a week of the month other than 1 to 5 after #');
    }
  }
  const [range, step, ...more] = item.split('/');
  if (more.length > 0) return bad('has more than one /');
  if (step !== undefined && !(/^\d+$/.test(step) && Number(step) >= 1 && Number(step) <= field.max)) {
    return bad(`has an increment other than 1 to ${field.max} after /`);
  }
  if (range === '*') return undefined;
  const bounds = range.split('-');
  if (bounds.length > 2 || bounds.some(b => valueOf(field, b) === undefined)) return bad('is out of range');
  return undefined;
}

function specials(field: CronField): string {
  if (field === DAY_OF_MONTH) return ' ? L W';
  if (field === DAY_OF_WEEK) return ' ? L #';
  return '';
}

/**
 * Lists what is wrong with a DeploymentWindow cron expression; empty when it is valid. Each problem names the field
 * and the value.
 */
export function windowCronProblems(expression: string): string[] {
  const fields = expression.trim().split(/\s+/);
  if (/^cron\(/i.test(expression.trim())) {
    return ['is an EventBridge schedule expression; the DeploymentWindow rule takes the bare fields, without cron( )'];
  }
  if (fields.length < 6 || fields.length > 7) {
    return [`has ${fields.length} field${fields.length === 1 ? '' : 's'}; it takes 6 or 7: seconds, minutes, hours, day-of-month, month, day-of-week and optionally year`];
  }
  const problems: string[] = [];
  const [seconds, ...rest] = fields;
  if (seconds !== '*' && seconds !== '0') {
    problems.push(`seconds '${seconds}' must be * (the rule decides by the minute)`);
  }
  const order = [MINUTES, HOURS, DAY_OF_MONTH, MONTH, DAY_OF_WEEK, YEAR];
  rest.forEach((text, i) => {
    const field = order[i];
    if (text === '?') {
      if (field !== DAY_OF_MONTH && field !== DAY_OF_WEEK) problems.push(`${field.name} '?' is only allowed in day-of-month and day-of-week`);
      return;
    }
    for (const item of text.split(',')) {
      const problem = item === '' || item === '?' ? `${field.name} '${text}' has an empty item or a ? in a list` : itemProblem(field, item);
      if (problem) problems.push(problem);
    }
  });
  const dayOfMonth = fields[3];
  const dayOfWeek = fields[5];
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
    problems.push(`day-of-month '${dayOfMonth}' and day-of-week '${dayOfWeek}': exactly one of them must be ?`);
  }
  return problems;
}
