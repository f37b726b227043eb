/**
 * A lenient RFC 2822 date parser with SpamAssassin's quirks (`parse_rfc822_date`):
 * the weekday is optional, `Mon DD hh:mm:ss YYYY` (ctime) is accepted, two- and
 * three-digit years are widened, named zones come from a fixed table and any
 * other zone counts as UTC. Out-of-range fields are clamped rather than rejected,
 * because the date checks compare timestamps and a near miss still carries signal.
 */

/** Named zones SpamAssassin knows, as offsets in minutes east of UTC. */
const ZONES: Readonly<Record<string, number>> = {
  UT: 0, UTC: 0, GMT: 0, WET: 0,
  NDT: -150, AST: -240, ADT: -180, NST: -210, EST: -300, EDT: -240, CST: -360, CDT: -300,
  MST: -420, MDT: -360, PST: -480, PDT: -420, HST: -600, AKST: -540, AKDT: -480, HADT: -540, HAST: -600,
  BST: 60, IST: 60, WEST: 60, CET: 60, CEST: 120, EET: 120, EEST: 180, MSK: 180, MSD: 240,
  MET: 60, MEZ: 60, MEST: 120, MESZ: 120,
  BRST: -120, BRT: -180,
  AEST: 600, AEDT: 660, ACST: 570, ACDT: 630, AWST: 480,
  NZST: 720, NZDT: 780,
  JST: 540, KST: 540, HKT: 480, SGT: 480, PHT: 480,
  IDT: 180,
};

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MON = '(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';

/** Day-month-year with a 4-digit year; ctime's month-day-time-year; day-month with a short year. */
const DMY4 = new RegExp(` (\\d+) ${MON} (\\d{4}) `, 'i');
const CTIME = new RegExp(` ${MON} +(\\d+) \\d+:\\d+:\\d+ (\\d{4}) `, 'i');
const DMY2 = new RegExp(` (\\d+) ${MON} (\\d{2,3}) `, 'i');
const TIME = / (\d?\d):(\d\d)(?::(\d\d))? /;
const NUMERIC_ZONE = / ([-+])(\d\d)(\d\d) /;
const NAMED_ZONE = /\b([A-Z]{2,4}(?:-DST)?)\b/;

interface DatePart {
  readonly day: number;
  readonly month: number;
  readonly year: number;
  readonly rest: string;
}

/** Find the date part, removing it so the time and zone searches do not see it. */
function datePart(s: string): DatePart | undefined {
  let m = DMY4.exec(s);
  if (m) return { day: Number(m[1]), month: MONTHS.indexOf(m[2]!.toLowerCase()) + 1, year: Number(m[3]), rest: cut(s, m) };
  m = CTIME.exec(s);
  if (m) return { day: Number(m[2]), month: MONTHS.indexOf(m[1]!.toLowerCase()) + 1, year: Number(m[3]), rest: cut(s, m) };
  m = DMY2.exec(s);
  if (!m) return undefined;
  const y = m[3]!;
  // RFC 2822 section 4.3: 00-49 are 20xx, 50-99 and three-digit years count from 1900.
  const year = y.length === 2 && Number(y) < 50 ? Number(y) + 2000 : Number(y) + 1900;
  return { day: Number(m[1]), month: MONTHS.indexOf(m[2]!.toLowerCase()) + 1, year, rest: cut(s, m) };
}

/** Replace a match with a single space, as the search-and-remove steps do. */
function cut(s: string, m: RegExpExecArray): string {
  return s.slice(0, m.index) + ' ' + s.slice(m.index + m[0].length);
}

function daysInMonth(month: number, year: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Parse a date as SpamAssassin does; seconds since the epoch (UTC), or undefined
 * when no day-month-year can be found or the day is zero.
 */
export function parseRfc822Date(input: string): number | undefined {
  const s = ` ${input} `.replace(/, */g, ' ').replace(/[ \t\n\r\f\v]+/g, ' ');
  const d = datePart(s);
  if (!d) return undefined;
  let rest = d.rest;
  let hh = 0;
  let mm = 0;
  let ss = 0;
  const t = TIME.exec(rest);
  if (t) {
    hh = Number(t[1]);
    mm = Number(t[2]);
    ss = t[3] === undefined ? 0 : Number(t[3]);
    rest = cut(rest, t);
  }
  let offset = 0;
  const z = NUMERIC_ZONE.exec(rest);
  if (z) {
    offset = (Number(z[2]) * 60 + Number(z[3])) * (z[1] === '-' ? -1 : 1);
  } else {
    // Only the first capitalised word is tried; an unknown one means UTC.
    const n = NAMED_ZONE.exec(rest);
    if (n) offset = ZONES[n[1]!] ?? 0;
  }
  let { day, month, year } = d;
  ss = Math.min(ss, 59);
  mm = Math.min(mm, 59);
  hh = Math.min(hh, 23);
  if (day > daysInMonth(month, year)) {
    // Roll an impossible day over to the first of the next month.
    day = 1;
    month++;
    if (month > 12) {
      month = 1;
      year++;
    }
  }
  // SpamAssassin keeps years inside the signed 32-bit time_t range.
  year = Math.min(Math.max(year, 1970), 2037);
  if (day < 1) return undefined;
  const time = Date.UTC(year, month - 1, day, hh, mm, ss) / 1000;
  const off = offset * 60;
  // A positive zone early on 1 Jan 1970 would go negative; SpamAssassin pins it at 0.
  if (off > 0 && time < off) return 0;
  return time - off;
}

/** The date stamp a Received header ends with, found the way SpamAssassin finds it. */
export const RECEIVED_DATE = /([ \t\n\r\f\v].?\d+ [^ \t\n\r\f\v]{3} \d+ \d+:\d+:\d+ [^ \t\n\r\f\v]+)/;
