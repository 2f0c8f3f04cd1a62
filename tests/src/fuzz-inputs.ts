// Generated requests for the fuzz test: every public route, with odd paths, bodies of wrong types,
// huge, unicode and control-character strings, wrong content types and duplicate ids. Each request
// is wrong in at least one way the API must refuse, so none of them may write anything.

/** A small seeded generator (mulberry32), so a failing run can be replayed from its seed. */
export class Rng {
  constructor(private state: number) {}
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(max: number): number {
    return Math.floor(this.next() * max);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface Known {
  token: string;
  productId: string;
  email: string;
}

const CONTROL = ['\u0000', '\u0001', '\u0007', '\b', '\t', '\n', '\r', '\u001b[31m', '\u007f', '\u0085', '\u009b'];
const UNICODE = ['é', 'ß', '漢字', '🛒', '\u200b', '\u202e', '\ufeff', 'Å', '\ud800', '\udfff', '４２', '٣'];

/** A string that is odd in some way: control characters, unicode, huge, empty, or a lookalike of something valid. */
function oddString(r: Rng): string {
  switch (r.int(8)) {
    case 0:
      return `a${r.pick(CONTROL)}b`;
    case 1:
      return Array.from({ length: 1 + r.int(6) }, () => r.pick(UNICODE)).join('');
    case 2:
      return 'x'.repeat(r.pick([129, 300, 5000, 40_000]));
    case 3:
      // (No "__proto__": as a key of a JS object it would set the prototype, and vanish from the JSON.)
      return r.pick(['', ' ', '   ', 'null', 'undefined', 'NaN', '[]', '{}', 'constructor', 'prototype']);
    case 4:
      return r.pick(["' OR 1=1 --", '"; DROP TABLE users; --', '<script>alert(1)</script>', '${jndi:ldap://x}', '../../etc/passwd']);
    case 5:
      return `${r.pick(CONTROL)}${r.pick(UNICODE)}`.repeat(1 + r.int(50));
    case 6:
      return String(r.int(1e9));
    default:
      return r.pick(['%00', '%ZZ', '\\u0000', '\\', '"', '\u0000'.repeat(10)]);
  }
}

/** A value of any JSON type, sometimes deep. */
function anyValue(r: Rng, depth = 0): unknown {
  switch (r.int(depth > 2 ? 6 : 8)) {
    case 0:
      return null;
    case 1:
      return r.pick([0, -1, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 31]);
    case 2:
      return r.chance(0.5);
    case 3:
    case 4:
      return oddString(r);
    case 5:
      return [];
    case 6:
      return Array.from({ length: r.int(4) }, () => anyValue(r, depth + 1));
    default:
      return Object.fromEntries(Array.from({ length: r.int(4) }, () => [oddString(r).slice(0, 20), anyValue(r, depth + 1)]));
  }
}

const caseFlip = (id: string) => id.replace(/[a-f]/g, (c) => c.toUpperCase());

/** One way to break a checkout: each leaves a body the contract refuses. */
const CHECKOUT_DEFECTS: ((b: any, r: Rng, k: Known) => void)[] = [
  (b, _r, k) => b.items.push({ product_id: caseFlip(k.productId), quantity: 1 }),
  (b) => (b.items = []),
  (b, r) => (b.items = anyValue(r)),
  (b, r) => (b.items[0].quantity = r.pick([0, -1, 101, 1.5, '1', null, 1e308, true])),
  (b, r) => (b.items[0].product_id = r.chance(0.5) ? oddString(r) : anyValue(r)),
  (b, r) => (b.items[0][oddString(r).slice(0, 10) || 'x'] = anyValue(r)),
  (b, r) => (b[r.pick(['coupon', 'constructor', 'user_id', 'total_cents'])] = anyValue(r)),
  (b) => delete b.payment,
  (b, r) => (b.payment = anyValue(r)),
  (b, r) =>
    (b.payment.card_number = r.pick([
      '4242 4242 4242 4242',
      '４２４２４２４２４２４２４２４２',
      '42424242',
      '4242424242424242\u0000',
      oddString(r),
    ])),
  (b, r) => (b.payment.exp_month = r.pick([0, 13, '12', null, 1.5])),
  (b, r) => (b.payment.cvc = r.pick(['12', 'abcd', '12345', 123, '１２３', '12\u0000'])),
  (b, _r, k) => (b.items = Array.from({ length: 51 }, () => ({ product_id: k.productId, quantity: 1 }))),
];

/** One way to break a registration or a login. */
const ACCOUNT_DEFECTS: ((b: any, r: Rng, k: Known) => void)[] = [
  (b, r) => (b.email = r.chance(0.5) ? oddString(r) : anyValue(r)),
  (b, r) => (b.password = r.pick(['short', '', 12345678, null, `pass${r.pick(CONTROL)}word-long`, 'x'.repeat(129)])),
  (b, r) => (b.name = r.pick([`Ada${r.pick(CONTROL)}`, '   ', 'x'.repeat(101), 42, null])),
  (b, r) => (b[r.pick(['admin', 'role', 'constructor', 'id'])] = anyValue(r)),
  (b) => delete b.email,
];

const ODD_SEGMENTS = [
  '%ZZ',
  '%',
  '%%',
  '%00',
  '%0a',
  '%2e%2e',
  '%2F',
  '%C0%AF',
  '%E0%A4%A',
  '%FF%FE',
  '%u0041',
  '..',
  '.',
  ';',
  '%20',
  '0',
  '-1',
  'null',
  'x'.repeat(4000),
  encodeURIComponent('漢字🛒'),
  encodeURIComponent('\u0000'),
];

const CONTENT_TYPES = [
  undefined,
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/vnd.api+json',
  'application/octet-stream',
  '*/*',
  'json',
];

/** A body as sent: usually JSON of the (broken) value, sometimes not JSON at all. */
function encode(r: Rng, value: unknown): string {
  switch (r.int(12)) {
    case 0:
      return JSON.stringify(value).slice(0, -1 - r.int(3));
    case 1:
      return r.pick([
        '',
        'null',
        '"a string"',
        '42',
        'true',
        '[]',
        '{',
        '{"a":',
        'NaN',
        '\u0000',
        'email=a@b.co&password=x',
        '{"__proto__":{"admin":true}}',
        `${'['.repeat(15_000)}${']'.repeat(15_000)}`,
        `${'{"a":'.repeat(100)}1${'}'.repeat(100)}`,
      ]);
    case 2:
      return `${JSON.stringify(value)}${r.pick([' ', 'x', ',', '}'])}`;
    default:
      return JSON.stringify(value);
  }
}

/** Exactly one defect: a second could undo the first (items emptied, then one item added back). */
function breakWith(r: Rng, defects: ((b: any, r: Rng, k: Known) => void)[], body: unknown, k: Known) {
  r.pick(defects)(body, r, k);
}

const uuid = (r: Rng) =>
  `${[8, 4, 4, 4, 12].map((n) => Array.from({ length: n }, () => '0123456789abcdef'[r.int(16)]).join('')).join('-')}`;

/** One generated request to a public route (or a service behind the gateway, through `base`). */
export function fuzzRequest(r: Rng, k: Known): FuzzRequest {
  const headers: Record<string, string> = {};
  const auth = () => {
    if (r.chance(0.8)) headers.authorization = `Bearer ${k.token}`;
    else
      headers.authorization = r.pick([
        'Bearer',
        'Bearer x',
        `Bearer ${k.token}x`,
        'Basic Zm9vOmJhcg==',
        `bearer ${k.token}`,
        'Bearer \u00e9',
      ]);
  };
  // Mostly JSON, so most bodies get as far as the contracts; the rest must be refused before.
  const type = r.chance(0.6) ? r.pick(['application/json', 'application/json; charset=utf-8']) : r.pick(CONTENT_TYPES);
  if (type) headers['content-type'] = type;
  if (r.chance(0.2))
    headers.baggage = r.pick(['synthetic_request=true', `shop.campaign=${'c'.repeat(4000)}`, 'a=b,c=d,e', '=;,', `k=${'%ZZ'.repeat(50)}`]);
  if (r.chance(0.1)) headers['x-request-id'] = r.pick(['ok-id', 'bad id', 'x'.repeat(200)]);
  if (r.chance(0.1)) headers['x-forwarded-for'] = r.pick(['1.2.3.4', 'garbage', '::1, 10.0.0.1']);
  // A body that claims to be compressed (it never is): refused before anything inflates it.
  if (r.chance(0.05)) headers['content-encoding'] = r.pick(['gzip', 'zstd', 'deflate', 'br', 'x-unknown']);
  switch (r.int(9)) {
    case 0:
    case 1: {
      const body: any = {
        items: [{ product_id: r.chance(0.5) ? k.productId : caseFlip(k.productId), quantity: 1 + r.int(3) }],
        payment: { card_number: '4242424242424242', exp_month: 12, exp_year: 2030, cvc: '123' },
      };
      breakWith(r, CHECKOUT_DEFECTS, body, k);
      auth();
      return { method: 'POST', path: '/api/orders', headers, body: encode(r, body) };
    }
    case 2:
    case 3: {
      const login = r.chance(0.5);
      const body: any = login
        ? { email: k.email, password: 'not-the-password' }
        : { email: `fuzz-${r.int(1e9)}@test.example`, password: 'long-enough-password', name: 'Fuzz' };
      breakWith(r, ACCOUNT_DEFECTS, body, k);
      if (!login && r.chance(0.3)) body.name = `${r.pick(UNICODE)}${r.pick(CONTROL)}`;
      return { method: 'POST', path: login ? '/api/auth/login' : '/api/auth/register', headers, body: encode(r, body) };
    }
    case 4:
      return {
        method: 'GET',
        path: `/api/products/${r.pick([...ODD_SEGMENTS, caseFlip(k.productId), uuid(r), `${k.productId}%00`])}`,
        headers,
      };
    case 5:
      auth();
      return { method: 'GET', path: `/api/orders/${r.pick([...ODD_SEGMENTS, uuid(r), caseFlip(uuid(r))])}`, headers };
    case 6:
      auth();
      return {
        method: r.pick(['GET', 'DELETE', 'PUT', 'PATCH']),
        path: r.pick(['/api/orders', '/api/products', '/api/orders?limit=%ZZ&x[]=1', '/api/products?__proto__=1']),
        headers,
        body: r.chance(0.5) ? encode(r, anyValue(r)) : undefined,
      };
    case 7:
      return {
        method: r.pick(['GET', 'POST', 'OPTIONS']),
        path: `/api/${r.pick(ODD_SEGMENTS)}/${r.pick(ODD_SEGMENTS)}`,
        headers,
        body: r.chance(0.3) ? encode(r, anyValue(r)) : undefined,
      };
    default:
      // A body of any type to any POST route.
      if (r.chance(0.5)) auth();
      return {
        method: 'POST',
        path: r.pick(['/api/orders', '/api/auth/login', '/api/auth/register']),
        headers,
        body: encode(r, r.chance(0.5) ? anyValue(r) : [anyValue(r)]),
      };
  }
}
