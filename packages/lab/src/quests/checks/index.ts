import type { Check } from '../context';
import { check as q01 } from './q01-first-trace';
import { check as q02 } from './q02-traceparent';
import { check as q03 } from './q03-custom-span';
import { check as q04 } from './q04-slow-checkout';
import { check as q05 } from './q05-self-time';
import { check as q06 } from './q06-errors';
import { check as q07 } from './q07-retry-storm';
import { check as q08 } from './q08-broken-propagation';
import { check as q09 } from './q09-across-the-queue';
import { check as q10 } from './q10-baggage';
import { check as q11 } from './q11-sampling';
import { check as q12 } from './q12-secrets';
import { check as q13 } from './q13-exemplars';
import { check as q14 } from './q14-traceql';
import { check as q15 } from './q15-logs';
import { check as q16 } from './q16-hung-payment';

/** Each quest's check, by quest number: the quest files in docs/quests/ hold everything else. */
export const CHECKS: Record<number, Check> = {
  1: q01,
  2: q02,
  3: q03,
  4: q04,
  5: q05,
  6: q06,
  7: q07,
  8: q08,
  9: q09,
  10: q10,
  11: q11,
  12: q12,
  13: q13,
  14: q14,
  15: q15,
  16: q16,
};
