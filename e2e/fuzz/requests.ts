import fc from 'fast-check';

// What the fuzzer sends: for every route of the portal, requests shaped like the real ones and
// requests that are not — other methods, odd paths (malformed %-encoding, dot segments, raw Latin-1),
// odd headers (content-type variants, huge values, forged internal and Next.js headers, foreign
// origins), odd bodies (wrong types, deep nesting, huge strings, invalid UTF-8, multipart, forms) —
// each with or without a staff session and a device certificate. Credentials are named, not embedded
// (`staff: 'it'`), and minted when the request is sent, so a printed counterexample stays readable.

export type Staff = 'none' | 'it' | 'manager' | 'forged';
export type Payload = { contentType: string | null; body: string | Uint8Array | null };
export type FuzzRequest = {
  method: string;
  target: string;
  headers: [string, string][];
  payload: Payload;
  staff: Staff;
  /** Present the registered device certificate of the fuzzed hire. */
  device: boolean;
  /** Sign the body as HR does (Standard Webhooks, the e2e secret) with a fresh timestamp. */
  hrSignature: boolean;
  /** Send the fuzz SCIM connection's bearer token (Authorization header). */
  scimToken: boolean;
  /** Sign the body as the MDM does (its own e2e secret), with a fresh timestamp. */
  mdmSignature: boolean;
};

/** Facts of the running portal the arbitraries draw on: ids that exist, the server action's id. */
export type World = {
  origin: string;
  employeeIds: string[];
  actionIds: string[];
  /** SCIM ids (user ids) of people who exist. */
  userIds: string[];
};

/** `broad`: the route stands for many paths or methods, so it deserves more cases. */
export type Route = {
  name: string;
  broad?: boolean;
  requests: (world: World) => fc.Arbitrary<FuzzRequest>;
};

// ─── building blocks ────────────────────────────────────────────────────────────────────────────

const METHODS = [
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
  'TRACE',
  'PROPFIND',
  'QUERY',
  'SEARCH',
  'PURGE',
  'MKCOL',
  'LOCK',
  'FUZZ',
];
const anyMethod = fc.constantFrom(...METHODS);

const MALFORMED_PERCENT = [
  '%',
  '%E0%A4%A',
  '%zz',
  '%C0%AF',
  '%FF',
  '%E0%80',
  '%ED%A0%80',
  '%%',
  '%2',
  '%u0041',
  '%F4%90%80%80',
];
const latin1 = fc.string({
  unit: fc.integer({ min: 0x21, max: 0xff }).map((code) => String.fromCharCode(code)),
  minLength: 1,
  maxLength: 12,
});

/** One path segment: ordinary, percent-encoded Unicode, malformed, dot segments, very long, raw Latin-1. */
function segment(known: string[] = []): fc.Arbitrary<string> {
  return fc.oneof(
    ...(known.length > 0 ? [{ weight: 4, arbitrary: fc.constantFrom(...known) }] : []),
    { weight: 3, arbitrary: fc.stringMatching(/^[A-Za-z0-9._-]{1,16}$/) },
    {
      weight: 2,
      arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }).map(encodeURIComponent),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.stringMatching(/^[a-z]{0,4}$/), fc.constantFrom(...MALFORMED_PERCENT))
        .map(([a, b]) => a + b),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '..',
        '.',
        '',
        '%2e%2e',
        '%2F',
        'a%2Fb',
        '%00',
        '~',
        '[id]',
        '__proto__',
        'constructor',
      ),
    },
    { weight: 1, arbitrary: fc.integer({ min: 200, max: 9_000 }).map((n) => 'x'.repeat(n)) },
    { weight: 1, arbitrary: latin1.map((text) => text.replace(/[?#/]/g, '_')) },
  );
}

const queryValue = fc.oneof(
  fc.string({ maxLength: 12 }).map(encodeURIComponent),
  fc.constantFrom(...MALFORMED_PERCENT),
  fc.constantFrom(
    '/it',
    '//evil.example',
    'https://evil.example',
    'javascript:alert(1)',
    'http://[',
    '/%E0%A4%A',
    '',
    '1',
    '-1',
    '99999999999999999999',
    'NaN',
  ),
);
const QUERY_KEYS = [
  'q',
  'state',
  'department',
  'manager',
  'sort',
  'dir',
  'page',
  'callbackUrl',
  'error',
  'csrf',
  'token',
  '__proto__',
  '_rsc',
  'x',
];
const query = fc.oneof(
  { weight: 3, arbitrary: fc.constant('') },
  {
    weight: 2,
    arbitrary: fc
      .array(fc.tuple(fc.constantFrom(...QUERY_KEYS), queryValue), { minLength: 1, maxLength: 4 })
      .map((pairs) => `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom('?', '?&&', '?=', '?a', `?${'q='.repeat(500)}`, '?%', '?q=%E0%A4%A'),
  },
);

/** A path template's `[param]`s filled with segments; then a query. */
function target(template: string, known: string[]): fc.Arbitrary<string> {
  const params = template.match(/\[[^\]]+\]/g) ?? [];
  return fc
    .tuple(fc.array(segment(known), { minLength: params.length, maxLength: params.length }), query)
    .map(([values, search]) => {
      let index = 0;
      return template.replace(/\[[^\]]+\]/g, () => values[index++]!) + search;
    });
}

const headerText = fc.string({
  unit: fc
    .oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0x80, max: 0xff }))
    .map((c) => String.fromCharCode(c)),
  maxLength: 40,
});
const huge = fc.integer({ min: 1_000, max: 20_000 }).map((n) => 'h'.repeat(n));
const forgedPeer = fc.constantFrom(
  `${Buffer.from(JSON.stringify({ fingerprint: 'ab'.repeat(32), ip: '10.0.0.1' })).toString('base64url')}.forged`,
  'e30.e30',
  '.',
  'not-a-peer',
);

const COOKIE_NAMES = [
  '__Secure-next-auth.callback-url',
  '__Host-next-auth.csrf-token',
  '__Secure-next-auth.session-token',
  '__Host-firstkey-enrollment',
  'next-auth.callback-url',
  'x',
];
const cookieHeader = fc
  .array(
    fc.tuple(
      fc.constantFrom(...COOKIE_NAMES),
      fc.oneof(
        queryValue,
        headerText.map((text) => text.replace(/[;,]/g, '')),
      ),
    ),
    { minLength: 1, maxLength: 3 },
  )
  .map((pairs) => pairs.map(([name, value]) => `${name}=${value}`).join('; '));

/** A few odd headers per request: forged internal ones, Next.js' own, proxies', cookies, junk. */
function oddHeaders(world: World): fc.Arbitrary<[string, string][]> {
  const entry: fc.Arbitrary<[string, string]> = fc.oneof(
    fc.tuple(
      fc.constant('origin'),
      fc.constantFrom(
        world.origin,
        'https://evil.example',
        'null',
        'garbage',
        'https://localhost:1',
        '',
        'https://[',
      ),
    ),
    fc.tuple(fc.constant('x-firstkey-peer'), forgedPeer),
    fc.tuple(
      fc.constantFrom(
        'x-firstkey-proxy-secret',
        'x-client-cert-sha256',
        'x-client-cert',
        'x-forwarded-client-cert',
      ),
      fc.constantFrom(
        'ab'.repeat(32),
        'guess',
        '',
        '-----BEGIN%20CERTIFICATE-----%ZZ',
        `Hash=${'ab'.repeat(32)};Subject="CN=x`,
      ),
    ),
    fc.tuple(
      fc.constantFrom('x-forwarded-for', 'x-real-ip'),
      fc.constantFrom('10.0.0.1, 1.2.3.4', 'garbage', '', '::1'),
    ),
    fc.tuple(
      fc.constant('x-forwarded-host'),
      fc.constantFrom('evil.example', new URL(world.origin).host, 'a,b', ''),
    ),
    fc.tuple(fc.constant('x-forwarded-proto'), fc.constantFrom('http', 'https', 'gopher', '')),
    fc.tuple(fc.constant('host'), fc.constantFrom('evil.example', 'localhost', '[::1', 'a b', '')),
    fc.tuple(
      fc.constant('accept'),
      fc.constantFrom('text/x-component', 'application/json', '*/*', 'text/html', ''),
    ),
    fc.tuple(fc.constant('rsc'), fc.constantFrom('1', '0', 'x')),
    fc.tuple(
      fc.constant('next-router-state-tree'),
      fc.oneof(
        headerText,
        fc.constantFrom(
          '%5B%22%22%5D',
          '[',
          encodeURIComponent('["",{"children":["__PAGE__",{}]},null,null,true]'),
        ),
      ),
    ),
    fc.tuple(
      fc.constantFrom(
        'next-router-prefetch',
        'next-router-segment-prefetch',
        'next-url',
        'next-hmr-refresh',
      ),
      fc.constantFrom('1', '/_tree', '/it', '%', ''),
    ),
    fc.tuple(
      fc.constant('next-action'),
      fc.oneof(
        fc.constantFrom(...world.actionIds),
        fc.stringMatching(/^[0-9a-f]{42}$/),
        headerText,
      ),
    ),
    fc.tuple(
      fc.constant('x-middleware-subrequest'),
      fc.constantFrom(
        'middleware:middleware:middleware:middleware:middleware',
        'proxy:proxy:proxy:proxy:proxy',
        'src/middleware',
      ),
    ),
    fc.tuple(
      fc.constantFrom(
        'x-nextjs-data',
        'x-matched-path',
        'x-now-route-matches',
        'x-invoke-path',
        'x-prerender-revalidate',
        'x-action-forwarded',
      ),
      fc.constantFrom('1', '/api/device', '/it/hires/[employeeId]', '%', 'x'),
    ),
    fc.tuple(fc.constant('cookie'), cookieHeader),
    fc.tuple(fc.constantFrom('user-agent', 'referer', 'x-junk'), fc.oneof(headerText, huge)),
    fc.tuple(
      fc.constantFrom('content-encoding', 'accept-encoding'),
      fc.constantFrom('gzip', 'br', 'deflate', 'identity', 'x'),
    ),
    fc.tuple(
      fc.constantFrom('range', 'if-none-match', 'if-modified-since'),
      fc.constantFrom('bytes=0-1', 'bytes=x', '*', 'garbage'),
    ),
    fc.tuple(
      fc.constantFrom('webhook-id', 'webhook-timestamp', 'webhook-signature'),
      fc.oneof(headerText, fc.constantFrom('v1,AAAA', 'v1,', '1e99', '-1', 'NaN')),
    ),
  );
  return fc.array(entry, { maxLength: 3 });
}

// ─── bodies ─────────────────────────────────────────────────────────────────────────────────────

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/jsonx',
  'text/plain',
  'text/plain;charset=UTF-8',
  'multipart/form-data',
  'multipart/form-data; boundary=fuzz',
  'multipart/form-data; boundary=',
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=utf-8',
  'application/xml',
  'application/json, text/plain',
  ';;;',
  '',
];
const contentType = fc.oneof(fc.constantFrom(...CONTENT_TYPES), headerText, huge);

const shortText = fc.oneof(
  fc.string({ maxLength: 16 }),
  fc.string({ unit: 'binary', maxLength: 16 }),
  fc.constantFrom(
    '',
    ' ',
    'Lost laptop',
    '2026-02-30',
    '2026-01-01',
    'it',
    'manager',
    'approve',
    'public-key',
    '$$',
    '__proto__',
  ),
);
const anyJson: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 3 });
/** A field of the right kind most of the time, anything else sometimes. */
const field = <T>(right: fc.Arbitrary<T>) =>
  fc.oneof(
    { weight: 3, arbitrary: right as fc.Arbitrary<unknown> },
    { weight: 1, arbitrary: anyJson },
    { weight: 1, arbitrary: fc.integer({ min: 5_000, max: 200_000 }).map((n) => 'y'.repeat(n)) },
  );
function shaped(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<unknown> {
  const record = fc.record(
    Object.fromEntries(Object.entries(fields).map(([key, arbitrary]) => [key, field(arbitrary)])),
    { requiredKeys: [] },
  );
  return fc.oneof(
    { weight: 4, arbitrary: record },
    {
      weight: 1,
      arbitrary: fc
        .tuple(record, fc.string({ maxLength: 8 }), anyJson)
        .map(([value, key, extra]) => ({ ...(value as object), [key]: extra })),
    },
  );
}

function multipart(fields: fc.Arbitrary<[string, string][]>): fc.Arbitrary<Payload> {
  return fc
    .tuple(fields, fc.constantFrom('fuzz', 'other', ''), fc.boolean(), fc.boolean(), fc.nat())
    .map(([pairs, headerBoundary, asFile, truncate, cut]) => {
      const body =
        pairs
          .map(
            ([name, value]) =>
              `--fuzz\r\nContent-Disposition: form-data; name="${name}"${asFile ? '; filename="f.txt"' : ''}\r\n\r\n${value}\r\n`,
          )
          .join('') + '--fuzz--\r\n';
      return {
        contentType: `multipart/form-data; boundary=${headerBoundary}`,
        body: truncate ? body.slice(0, cut % (body.length + 1)) : body,
      };
    });
}

const formPairs = fc.array(
  fc.tuple(
    fc.constantFrom(
      '0',
      '1_x',
      '$ACTION_ID_x',
      'csrfToken',
      'callbackUrl',
      'json',
      'token',
      'response',
      'a',
    ),
    shortText,
  ),
  { maxLength: 4 },
);

function form(pairs: fc.Arbitrary<[string, string][]>): fc.Arbitrary<Payload> {
  return fc.tuple(pairs, fc.boolean()).map(([entries, encode]) => ({
    contentType: 'application/x-www-form-urlencoded',
    body: entries
      .map(([k, v]) => (encode ? `${encodeURIComponent(k)}=${encodeURIComponent(v)}` : `${k}=${v}`))
      .join('&'),
  }));
}

const deepNesting = fc
  .tuple(fc.integer({ min: 100, max: 60_000 }), fc.boolean())
  .map(([depth, array]) =>
    array ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth),
  );
const hugeJson = fc
  .integer({ min: 20_000, max: 1_200_000 })
  .map((n) => JSON.stringify({ token: 'z'.repeat(n) }));
const invalidUtf8 = fc
  .tuple(fc.string({ maxLength: 10 }), fc.uint8Array({ minLength: 1, maxLength: 24 }))
  .map(([text, bytes]) =>
    Buffer.concat([
      Buffer.from(`{"token":"${text}`),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(bytes),
      Buffer.from('"}'),
    ]),
  );

/** A body for a route expecting `json` (the shaped value) — and all the ways it can go wrong. */
function payload(
  json: fc.Arbitrary<unknown>,
  extra: fc.Arbitrary<Payload>[] = [],
): fc.Arbitrary<Payload> {
  const asJson = (value: fc.Arbitrary<unknown>) =>
    value.map((v): Payload => ({
      contentType: 'application/json',
      body: JSON.stringify(v) ?? 'null',
    }));
  return fc.oneof(
    { weight: 6, arbitrary: asJson(json) },
    { weight: 2, arbitrary: asJson(anyJson) },
    {
      weight: 2,
      arbitrary: fc.tuple(contentType, json).map(([type, value]): Payload => ({
        contentType: type,
        body: JSON.stringify(value) ?? '',
      })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.option(contentType), deepNesting)
        .map(([type, body]): Payload => ({ contentType: type ?? 'application/json', body })),
    },
    {
      weight: 1,
      arbitrary: hugeJson.map((body): Payload => ({ contentType: 'application/json', body })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.option(contentType), invalidUtf8)
        .map(([type, body]): Payload => ({ contentType: type ?? 'application/json', body })),
    },
    { weight: 1, arbitrary: multipart(formPairs) },
    { weight: 1, arbitrary: form(formPairs) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.option(contentType), fc.string({ maxLength: 30 }))
        .map(([type, body]): Payload => ({ contentType: type, body })),
    },
    {
      weight: 1,
      arbitrary: fc.option(contentType).map((type): Payload => ({ contentType: type, body: null })),
    },
    ...extra.map((arbitrary) => ({ weight: 2, arbitrary })),
  );
}

// ─── routes ─────────────────────────────────────────────────────────────────────────────────────

const base64url = fc.oneof(
  fc
    .base64String({ maxLength: 40 })
    .map((text) => text.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')),
  shortText,
);
const clientData = fc
  .record(
    {
      type: fc.constantFrom('webauthn.get', 'webauthn.create', 'x'),
      challenge: base64url,
      origin: fc.constantFrom('https://localhost:3530', 'https://evil.example', ''),
    },
    { requiredKeys: [] },
  )
  .map((data) => Buffer.from(JSON.stringify(data)).toString('base64url'));
const webauthnResponse = shaped({
  id: base64url,
  rawId: base64url,
  type: fc.constant('public-key'),
  response: shaped({
    clientDataJSON: fc.oneof(clientData, base64url),
    attestationObject: base64url,
    authenticatorData: base64url,
    signature: base64url,
    userHandle: base64url,
    transports: fc.array(fc.constantFrom('internal', 'usb', 'x')),
  }),
  authenticatorAttachment: fc.constantFrom('platform', 'cross-platform', 'x'),
  clientExtensionResults: fc.constant({}),
});
const token = fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{43}$/), shortText);
const reason = fc.oneof(fc.constant('Fuzzing the console'), shortText);
const employeeIdValue = (world: World) =>
  fc.oneof(
    fc.constantFrom(...world.employeeIds),
    fc.stringMatching(/^[A-Za-z0-9._-]{1,12}$/),
    shortText,
  );
const hireInput = (world: World) =>
  shaped({
    employeeId: employeeIdValue(world),
    name: shortText,
    email: fc.oneof(fc.emailAddress(), shortText),
    startDate: fc.oneof(
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
      shortText,
    ),
    managerEmployeeId: employeeIdValue(world),
    department: shortText,
    role: fc.constantFrom('it', 'manager', 'root'),
  });

type ApiRoute = {
  method: string;
  path: string;
  body?: (world: World) => fc.Arbitrary<unknown>;
  staff?: Staff;
};

/** Every route handler under app/api except next-auth's (below), with the body shape it expects. */
const API: ApiRoute[] = [
  { method: 'GET', path: '/api/device' },
  { method: 'GET', path: '/api/health' },
  { method: 'POST', path: '/api/enroll/peek', body: () => shaped({ token }) },
  { method: 'POST', path: '/api/enroll/redeem', body: () => shaped({ token }) },
  { method: 'POST', path: '/api/enroll/new-link', body: () => shaped({ token }) },
  { method: 'POST', path: '/api/enroll/passkey/options', body: () => shaped({}) },
  {
    method: 'POST',
    path: '/api/enroll/passkey/verify',
    body: () => shaped({ response: webauthnResponse }),
  },
  { method: 'POST', path: '/api/passkeys/authenticate/options', body: () => shaped({}) },
  {
    method: 'POST',
    path: '/api/passkeys/authenticate/verify',
    body: () => shaped({ response: webauthnResponse }),
  },
  { method: 'POST', path: '/api/it/hires', body: hireInput, staff: 'it' },
  { method: 'GET', path: '/api/it/hires/export', staff: 'it' },
  {
    method: 'POST',
    path: '/api/it/hires/import',
    body: () =>
      shaped({
        csv: fc.oneof(
          shortText,
          fc
            .array(fc.array(shortText, { maxLength: 6 }), { maxLength: 4 })
            .map((rows) =>
              ['employee_id,name,email,start_date', ...rows.map((row) => row.join(','))].join('\n'),
            ),
        ),
      }),
    staff: 'it',
  },
  {
    method: 'POST',
    path: '/api/it/hires/[employeeId]/device',
    body: () =>
      shaped({
        serial: shortText,
        certificatePem: fc.oneof(
          shortText,
          fc.constant('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----'),
        ),
      }),
    staff: 'it',
  },
  {
    method: 'POST',
    path: '/api/it/hires/[employeeId]/links',
    body: () => shaped({ ttlMinutes: fc.oneof(fc.integer(), fc.double()), reason }),
    staff: 'it',
  },
  {
    method: 'POST',
    path: '/api/it/hires/[employeeId]/links/revoke',
    body: () => shaped({ reason }),
    staff: 'it',
  },
  {
    method: 'POST',
    path: '/api/it/hires/[employeeId]/recovery',
    body: () => shaped({ reason, revokePasskeys: fc.boolean() }),
    staff: 'it',
  },
  {
    method: 'POST',
    path: '/api/it/hires/[employeeId]/roles',
    body: () =>
      shaped({ role: fc.constantFrom('it', 'manager', 'root'), grant: fc.boolean(), reason }),
    staff: 'it',
  },
  {
    method: 'POST',
    path: '/api/it/passkeys/[passkeyId]/revoke',
    body: () => shaped({ reason }),
    staff: 'it',
  },
  { method: 'POST', path: '/api/account/passkeys/options', body: () => shaped({}), staff: 'it' },
  {
    method: 'POST',
    path: '/api/account/passkeys/verify',
    body: () => shaped({ response: fc.constant({}) }),
    staff: 'it',
  },
  {
    method: 'POST',
    path: '/api/account/passkeys/[passkeyId]/rename',
    body: () => shaped({ name: fc.oneof(fc.constant('Work laptop'), shortText) }),
    staff: 'it',
  },
  {
    method: 'POST',
    path: '/api/account/passkeys/[passkeyId]/remove',
    body: () => shaped({}),
    staff: 'it',
  },
  {
    method: 'POST',
    path: '/api/it/attention/[itemId]/resolve',
    body: () => shaped({}),
    staff: 'it',
  },
  {
    method: 'POST',
    path: '/api/it/role-requests/[requestId]',
    body: () => shaped({ decision: fc.constantFrom('approve', 'decline', 'withdraw', 'maybe') }),
    staff: 'it',
  },
  {
    method: 'POST',
    path: '/api/it/apps',
    body: () =>
      shaped({
        name: shortText,
        redirectUris: fc.array(
          fc.oneof(shortText, fc.constantFrom('https://app.example.com/cb', 'http://10.0.0.1/cb')),
          { maxLength: 3 },
        ),
        public: fc.boolean(),
        homeUrl: fc.oneof(shortText, fc.constant('https://app.example.com')),
      }),
    staff: 'it',
  },
  {
    method: 'POST',
    path: '/api/it/scim-connections',
    body: () => shaped({ name: shortText }),
    staff: 'it',
  },
  {
    method: 'POST',
    path: '/api/it/policy',
    body: () =>
      shaped({
        aaguidMode: fc.constantFrom('any', 'allow', 'block', 'none'),
        aaguids: fc.array(
          fc.oneof(shortText, fc.constantFrom('bada5566-a7aa-401f-bd96-45619a55120d')),
          { maxLength: 3 },
        ),
        deviceBoundOnly: fc.boolean(),
        attestationRequired: fc.boolean(),
      }),
    staff: 'it',
  },
  {
    method: 'POST',
    path: '/api/it/scim-connections/[connectionId]/revoke',
    body: () => shaped({}),
    staff: 'it',
  },
  {
    method: 'POST',
    path: '/api/it/policy/metadata',
    body: () =>
      shaped({
        blob: fc.oneof(shortText, fc.constant('eyJhbGciOiJFUzI1NiJ9.eyJubyI6MX0.c2ln')),
      }),
    staff: 'it',
  },
  {
    method: 'POST',
    path: '/api/recovery/[requestId]',
    body: () => shaped({ decision: fc.constantFrom('approve', 'decline', 'maybe') }),
    staff: 'manager',
  },
  {
    method: 'POST',
    path: '/api/manager/help',
    body: (world) =>
      shaped({
        employeeId: employeeIdValue(world),
        message: fc.oneof(fc.constant('Laptop will not boot'), shortText),
      }),
    staff: 'manager',
  },
];

const staffFor = (usual: Staff | undefined): fc.Arbitrary<Staff> =>
  fc.oneof(
    { weight: usual ? 3 : 1, arbitrary: fc.constant(usual ?? 'none') },
    { weight: 2, arbitrary: fc.constantFrom<Staff>('none', 'it', 'manager', 'forged') },
  );

function request(
  world: World,
  parts: {
    method: fc.Arbitrary<string>;
    target: fc.Arbitrary<string>;
    payload: fc.Arbitrary<Payload>;
    staff?: fc.Arbitrary<Staff>;
    hrSignature?: fc.Arbitrary<boolean>;
    scimToken?: fc.Arbitrary<boolean>;
    mdmSignature?: fc.Arbitrary<boolean>;
    headers?: fc.Arbitrary<[string, string][]>;
  },
): fc.Arbitrary<FuzzRequest> {
  return fc.record({
    method: parts.method,
    target: parts.target,
    headers: parts.headers ?? oddHeaders(world),
    payload: parts.payload,
    staff: parts.staff ?? staffFor(undefined),
    device: fc.boolean(),
    hrSignature: parts.hrSignature ?? fc.constant(false),
    scimToken: parts.scimToken ?? fc.constant(false),
    mdmSignature: parts.mdmSignature ?? fc.constant(false),
  });
}

const usually = (method: string) =>
  fc.oneof({ weight: 5, arbitrary: fc.constant(method) }, { weight: 1, arbitrary: anyMethod });

const apiRoutes: Route[] = API.map((route) => ({
  name: `${route.method} ${route.path}`,
  requests: (world) =>
    request(world, {
      method: usually(route.method),
      target: target(route.path, world.employeeIds),
      payload: route.body ? payload(route.body(world)) : payload(anyJson),
      staff: staffFor(route.staff),
    }),
}));

const hrEvents: Route = {
  name: 'POST /api/hr/events',
  requests: (world) => {
    const person = shaped({
      employeeId: employeeIdValue(world),
      name: shortText,
      email: fc.oneof(fc.emailAddress(), shortText),
      startDate: fc.oneof(fc.constant('2026-09-01'), shortText),
      managerEmployeeId: fc.oneof(fc.constant(null), employeeIdValue(world)),
      department: fc.oneof(fc.constant(null), shortText),
      device: fc.oneof(fc.constant(null), shaped({ serial: shortText, certificatePem: shortText })),
    });
    return request(world, {
      method: usually('POST'),
      target: target('/api/hr/events', []),
      payload: payload(
        shaped({ type: fc.constantFrom('joiner', 'change', 'leaver', 'hire'), data: person }),
      ),
      hrSignature: fc.oneof(
        { weight: 3, arbitrary: fc.constant(true) },
        { weight: 1, arbitrary: fc.constant(false) },
      ),
    });
  },
};

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const scimValue = fc.oneof(
  shortText,
  fc.emailAddress(),
  fc.boolean(),
  fc.constantFrom('True', 'False', null, 42),
  anyJson,
);
const scimUser = shaped({
  schemas: fc.constant(['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE]),
  userName: fc.oneof(fc.emailAddress(), shortText),
  externalId: fc.oneof(fc.stringMatching(/^[A-Za-z0-9-]{1,20}$/), shortText),
  active: scimValue,
  displayName: shortText,
  name: shaped({ givenName: shortText, familyName: shortText }),
  emails: fc.array(
    shaped({ value: fc.emailAddress(), type: fc.constant('work'), primary: fc.boolean() }),
    {
      maxLength: 2,
    },
  ),
  password: shortText,
  [ENTERPRISE]: shaped({ employeeNumber: shortText, department: shortText, manager: scimValue }),
});
const scimPatch = shaped({
  schemas: fc.constant(['urn:ietf:params:scim:api:messages:2.0:PatchOp']),
  Operations: fc.array(
    shaped({
      op: fc.constantFrom('add', 'Replace', 'remove', 'move', ''),
      path: fc.oneof(
        fc.constantFrom(
          'active',
          'userName',
          'name.familyName',
          'emails[type eq "work"].value',
          `${ENTERPRISE}:manager`,
          `${ENTERPRISE}:employeeNumber`,
          'emails[',
          'phoneNumbers[type eq "work"].value',
        ),
        shortText,
      ),
      value: fc.oneof(scimValue, shaped({ active: scimValue, displayName: shortText })),
    }),
    { maxLength: 3 },
  ),
});
const scimFilter = fc.oneof(
  fc.constantFrom(
    'userName eq "a@example.com"',
    'externalId eq "x" and emails.value eq "a@example.com"',
    'emails[type eq "work"].value eq "a@example.com"',
    'userName co "a"',
    'userName eq "a" or userName eq "b"',
    '(userName eq "a")',
    'userName eq "\\',
  ),
  shortText,
);

/** SCIM 2.0 (/scim/v2), with the fuzz connection's token on most requests. */
const scim: Route = {
  name: 'SCIM /scim/v2/*',
  broad: true,
  requests: (world) =>
    request(world, {
      method: fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE') },
        { weight: 1, arbitrary: anyMethod },
      ),
      target: fc.oneof(
        fc
          .tuple(
            fc.constantFrom('', ...world.userIds),
            query,
            scimFilter,
            fc.integer({ min: -5, max: 300 }),
          )
          .map(
            ([id, search, expression, count]) =>
              `/scim/v2/Users${id ? `/${id}` : ''}?filter=${encodeURIComponent(expression)}&count=${count}${search ? `&${search.slice(1)}` : ''}`,
          ),
        fc
          .constantFrom(
            '/scim/v2/Users',
            '/scim/v2/Users/[x]',
            '/scim/v2/ServiceProviderConfig',
            '/scim/v2/ResourceTypes/User',
            '/scim/v2/Schemas',
            '/scim/v2/Groups',
            '/scim/v2',
            '/scim',
          )
          .chain((path) => target(path, world.userIds)),
      ),
      payload: fc.oneof(
        { weight: 3, arbitrary: payload(scimUser) },
        { weight: 3, arbitrary: payload(scimPatch) },
        { weight: 1, arbitrary: payload(anyJson) },
      ),
      scimToken: fc.oneof(
        { weight: 4, arbitrary: fc.constant(true) },
        { weight: 1, arbitrary: fc.constant(false) },
      ),
    }),
};

const mdmDevices: Route = {
  name: 'POST /api/mdm/devices',
  requests: (world) =>
    request(world, {
      method: usually('POST'),
      target: target('/api/mdm/devices', []),
      payload: payload(
        shaped({
          employeeId: employeeIdValue(world),
          email: fc.oneof(fc.emailAddress(), shortText),
          serial: shortText,
          certificatePem: shortText,
        }),
      ),
      mdmSignature: fc.oneof(
        { weight: 3, arbitrary: fc.constant(true) },
        { weight: 1, arbitrary: fc.constant(false) },
      ),
    }),
};

const NEXT_AUTH_PATHS = [
  'csrf',
  'session',
  'providers',
  'signin',
  'signin/passkey',
  'signout',
  'callback/passkey',
  'callback/[provider]',
  'error',
  'verify-request',
  '_log',
  '[action]',
  'callback/passkey/[extra]',
];
const callbackUrl = fc.oneof(
  fc.constantFrom(
    '/it',
    '/console',
    'https://localhost:3530/it',
    '//evil.example',
    'https://evil.example',
    'javascript:alert(1)',
    'http://[',
    '/%E0%A4%A',
    '\uFFFD%A',
    '',
  ),
  shortText,
);
const nextAuthFields = {
  csrfToken: fc.oneof(fc.stringMatching(/^[0-9a-f]{64}$/), shortText),
  callbackUrl,
  json: fc.constantFrom('true', 'false'),
  response: fc.oneof(
    webauthnResponse.map((value) => JSON.stringify(value)),
    shortText,
  ),
  redirect: fc.constantFrom('false', 'true'),
  level: fc.constantFrom('error', 'warn', 'debug', 'toString', '__proto__', 'x'),
  code: shortText,
  data: anyJson,
};

const nextAuth: Route = {
  name: 'next-auth /api/auth/*',
  broad: true,
  requests: (world) =>
    request(world, {
      method: fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom('GET', 'POST') },
        { weight: 1, arbitrary: anyMethod },
      ),
      target: fc
        .constantFrom(...NEXT_AUTH_PATHS)
        .chain((path) => target(`/api/auth/${path}`, ['passkey', 'credentials', 'signin'])),
      payload: payload(shaped(nextAuthFields), [
        form(
          fc.array(
            fc.tuple(
              fc.constantFrom(...Object.keys(nextAuthFields)),
              fc.oneof(shortText, callbackUrl),
            ),
            { maxLength: 5 },
          ),
        ),
      ]),
    }),
};

const PAGES = [
  '/',
  '/enroll',
  '/signin',
  '/console',
  '/it',
  '/it/add-hire',
  '/it/hires/[employeeId]',
  '/it/metrics',
  '/it/apps',
  '/it/connections',
  '/it/policy',
  '/manager',
  '/forbidden',
  '/nope/[x]',
];

const pages: Route = {
  name: 'pages with any method',
  broad: true,
  requests: (world) =>
    request(world, {
      method: fc.oneof(
        { weight: 3, arbitrary: fc.constant('GET') },
        { weight: 3, arbitrary: anyMethod },
      ),
      target: fc.constantFrom(...PAGES).chain((path) => target(path, world.employeeIds)),
      payload: fc.oneof(
        { weight: 2, arbitrary: fc.constant<Payload>({ contentType: null, body: null }) },
        { weight: 1, arbitrary: payload(anyJson) },
      ),
    }),
};

/** What React's client sends to a server action — `[]` for Firstkey's — and what it never would. */
const actionReply: fc.Arbitrary<Payload> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom<Payload>(
      { contentType: 'text/plain;charset=UTF-8', body: '[]' },
      { contentType: 'text/plain', body: '[]' },
    ),
  },
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        fc.constantFrom('text/plain;charset=UTF-8', 'text/plain', 'application/json', ''),
        fc.array(
          fc.oneof(
            anyJson,
            fc.constantFrom(
              '$1',
              '$@1',
              '$Q1',
              '$K1',
              '$F1',
              '$T',
              '$n',
              '$nX',
              '$D',
              '$undefined',
              '$$x',
              '$Infinity',
              '$-0',
              '$B1',
              '$h1',
            ),
          ),
        ),
      )
      .map(([type, args]) => ({ contentType: type, body: JSON.stringify(args) })),
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 1_001, max: 1_500 }).map((n) => ({
      contentType: 'text/plain',
      body: JSON.stringify(Array.from({ length: n }, () => 0)),
    })),
  },
  {
    weight: 2,
    arbitrary: multipart(
      fc.array(
        fc.tuple(
          fc.constantFrom('0', '1', '1_a', '$ACTION_ID_0', '$ACTION_REF_1', '$ACTION_1:0'),
          fc.constantFrom('[]', '["$K1"]', '["$1"]', '{', '"x"', '{"id":"x","bound":null}', ''),
        ),
        { maxLength: 3 },
      ),
    ),
  },
  { weight: 2, arbitrary: payload(anyJson) },
);

const serverActions: Route = {
  name: 'server actions (POST to a page)',
  broad: true,
  requests: (world) =>
    request(world, {
      method: fc.oneof(
        { weight: 5, arbitrary: fc.constant('POST') },
        { weight: 1, arbitrary: anyMethod },
      ),
      target: fc
        .constantFrom('/it', '/manager', '/it/hires/[employeeId]', '/', '/enroll', '/signin')
        .chain((path) => target(path, world.employeeIds)),
      payload: actionReply,
      staff: staffFor('it'),
      headers: fc
        .tuple(
          fc.oneof(
            { weight: 4, arbitrary: fc.constantFrom(...world.actionIds) },
            { weight: 1, arbitrary: fc.stringMatching(/^[0-9a-f]{42}$/) },
            { weight: 1, arbitrary: headerText },
          ),
          oddHeaders(world),
        )
        .map(([action, rest]) => [['next-action', action] as [string, string], ...rest]),
    }),
};

const WORDS = [
  'api',
  'auth',
  'enroll',
  'it',
  'hires',
  'manager',
  'recovery',
  'passkeys',
  '_next',
  'static',
  'image',
  'data',
  'console',
  'favicon.ico',
  'robots.txt',
  '.well-known',
  'scim',
  'v2',
  'Users',
];

/** Anything at all: random paths built from the portal's words and junk, any method, body, headers. */
const anything: Route = {
  name: 'any method, path, headers and body',
  broad: true,
  requests: (world) =>
    request(world, {
      method: anyMethod,
      target: fc
        .tuple(
          fc.array(fc.oneof(fc.constantFrom(...WORDS), segment(world.employeeIds)), {
            minLength: 0,
            maxLength: 5,
          }),
          query,
          fc.constantFrom('', '/'),
        )
        .map(([parts, search, slash]) => `/${parts.join('/')}${slash}${search}`),
      payload: payload(anyJson, [actionReply]),
    }),
};

export const ROUTES: Route[] = [
  ...apiRoutes,
  hrEvents,
  scim,
  mdmDevices,
  nextAuth,
  pages,
  serverActions,
  anything,
];
