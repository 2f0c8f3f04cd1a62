// Background traffic for a workshop: a trickle of the mix that keeps traces coming while learners
// explore, at a rate you change while it runs. k6 v2 removed `k6 scale` and the
// externally-controlled executor, so the rate lives in k6's own REST API instead: the run's setup
// data, which `PUT /v1/setup` replaces and every VU reads back once a second.
//   k6 run --address 127.0.0.1:6565 loadtest/background.js
//   curl -X PUT 127.0.0.1:6565/v1/setup -d '{"rate": 20}'        # now 20 tasks/s
//   curl -X PATCH 127.0.0.1:6565/v1/status -d '{"data":{"attributes":{"paused":true}}}'
// knobs: RATE (2/s to start), MAX_RATE (50/s, the ceiling), DURATION (8h), K6_API (127.0.0.1:6565), WEIGHTS
import http from 'k6/http';
import { scenario } from './lib/scenario.js';

const S = scenario(open('./scenarios.json'), 'background');
const START_RATE = Number(S.knobs.RATE);
const MAX_RATE = Number(S.knobs.MAX_RATE);
const API = `http://${S.knobs.K6_API}/v1/setup`;

// k6 starts MAX_RATE iterations a second; each runs a task with probability rate / MAX_RATE.
export const options = S.options;

/** @typedef {import('./lib/tasks.js').SetupData & { rate?: number }} Session */

/** @returns {Session} */
export function setup() {
  return { ...S.prepare(), rate: START_RATE };
}

let rate = START_RATE;
let readAt = 0;
let warned = false;
/** @type {Session | undefined} */
let session;

/** The rate the REST API holds now, read at most once a second per VU. */
function currentRate() {
  if (Date.now() - readAt < 1000) return rate;
  readAt = Date.now();
  const res = http.get(API, { tags: { name: 'k6 control' }, responseCallback: http.expectedStatuses(200) });
  const wanted = res.status === 200 ? Number(res.json('data.attributes.data.rate')) : NaN;
  if (Number.isFinite(wanted) && wanted >= 0) {
    if (wanted > MAX_RATE && !warned) console.warn(`rate ${wanted}/s is above MAX_RATE ${MAX_RATE}/s: capped`);
    rate = Math.min(wanted, MAX_RATE);
  } else if (!warned) {
    warned = true;
    console.warn(`no rate at ${API} (run k6 with --address ${S.knobs.K6_API}); staying at ${rate}/s`);
  }
  return rate;
}

/** @param {Session} data */
export default function (data) {
  // A PUT replaces the whole setup data: a VU keeps what it first saw, or, if it first ran after
  // a PUT, prepares its own once.
  session = session || (data.token ? data : S.prepare());
  if (Math.random() * MAX_RATE >= currentRate()) return;
  S.runMix(session);
}
