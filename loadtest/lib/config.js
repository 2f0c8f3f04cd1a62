// Every knob of every script, read from __ENV (k6 -e NAME=value, or the environment) with a default.
export function env(name, fallback) {
  const v = __ENV[name];
  return v === undefined || v === '' ? fallback : v;
}

export function num(name, fallback) {
  const raw = env(name, undefined);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got "${raw}"`);
  return n;
}

export const config = {
  baseUrl: env('BASE_URL', 'http://127.0.0.1:8080'),
  jaegerUrl: env('JAEGER_URL', 'http://127.0.0.1:16686'),
  // A token from an earlier login (the benchmark passes one); otherwise setup() logs in.
  token: env('TOKEN', ''),
  // Print one line per request with its trace id (the tests read them).
  logTraces: env('LOG_TRACES', 'false') === 'true',
  // Share of requests whose traceparent says "sampled" (01); the rest send 00 and the services,
  // which follow their parent's decision, record nothing for them.
  sampled: num('TRACE_SAMPLED', 1),
};

/** The usual arrival-rate knobs, with per-script defaults. */
export function rateKnobs(defaults) {
  const rate = num('RATE', defaults.rate);
  return {
    rate,
    duration: env('DURATION', defaults.duration),
    // Arrival-rate executors need VUs ready: enough for the rate at ~250 ms per iteration.
    preAllocatedVUs: num('VUS', Math.max(5, Math.ceil(rate / 4))),
    maxVUs: num('MAX_VUS', Math.max(20, Math.ceil(rate * 2))),
  };
}

/** A k6 duration ("90s", "1m30s", "2h", "500ms") in milliseconds. */
export function durationMs(d) {
  const units = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  const rest = String(d).replace(/(\d+(?:\.\d+)?)(ms|s|m|h)/g, (_, n, u) => {
    total += Number(n) * units[u];
    return '';
  });
  if (rest !== '' || total === 0) throw new Error(`not a duration: "${d}" (e.g. 90s, 1m30s, 2h)`);
  return total;
}
