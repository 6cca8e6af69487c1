import assert from 'node:assert/strict';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { ensureServerCertificate } from '@/lib/devices/dev-ca';
import {
  admitRequest,
  applyPeerHeader,
  PEER_HEADER,
  PROXY_SECRET_HEADER,
  readPeerHeader,
  resolvePeer,
  type FrontDoorConfig,
  type Peer,
} from '@/lib/devices/front-door';
import { writeRefusal } from '@/lib/http/refusal';
import { deviceCertificate } from '@/lib/testing/certificates';

const KEY = 'front-door-test-key';
const FINGERPRINT = 'ab'.repeat(32);
const SECRET = 's'.repeat(40);
const PROXY: FrontDoorConfig = {
  mode: 'proxy',
  proxyCertHeader: 'x-client-cert-sha256',
  proxyCertFormat: 'sha256',
  proxySecret: SECRET,
};
const NGINX: FrontDoorConfig = {
  ...PROXY,
  proxyCertHeader: 'x-client-cert',
  proxyCertFormat: 'nginx',
};
const ENVOY: FrontDoorConfig = {
  ...PROXY,
  proxyCertHeader: 'x-forwarded-client-cert',
  proxyCertFormat: 'envoy',
};
const NO_CONNECTION = { peerCertificateDer: null, remoteAddress: '10.1.1.1' };
const DIRECT: FrontDoorConfig = { mode: 'direct', proxyCertHeader: 'x-client-cert-sha256' };

describe('front door over real TLS (direct mode)', () => {
  let server: https.Server;
  let port: number;
  let device: Awaited<ReturnType<typeof deviceCertificate>>;
  let ca: string;

  before(async () => {
    const dataDir = process.env.FIRSTKEY_DATA_DIR!;
    const files = await ensureServerCertificate(dataDir, 'localhost');
    ca = fs.readFileSync(`${dataDir}/ca/ca.pem`, 'utf8');
    device = await deviceCertificate('front-door');
    server = https.createServer(
      {
        cert: fs.readFileSync(files.certPath),
        key: fs.readFileSync(files.keyPath),
        requestCert: true,
        rejectUnauthorized: false,
      },
      (req, res) => {
        admitRequest(req, DIRECT, KEY);
        const header = req.headers[PEER_HEADER];
        res.end(JSON.stringify(readPeerHeader(typeof header === 'string' ? header : null, KEY)));
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => server.close());

  function get(options: {
    cert?: string;
    key?: string;
    headers?: Record<string, string>;
    agent?: https.Agent;
  }): Promise<Peer> {
    return new Promise((resolve, reject) => {
      const req = https.request(
        {
          host: '127.0.0.1',
          servername: 'localhost',
          port,
          path: '/',
          ca,
          cert: options.cert,
          key: options.key,
          headers: options.headers,
          ...(options.agent ? { agent: options.agent } : {}),
        },
        (res) => {
          let body = '';
          res.on('data', (chunk) => (body += chunk));
          res.on('end', () => resolve(JSON.parse(body) as Peer));
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  test('the fingerprint of the presented client certificate reaches the handler', async () => {
    const peer = await get({ cert: device.pem, key: device.keyPem });
    assert.equal(peer.fingerprint, device.fingerprint);
    assert.equal(peer.ip, '127.0.0.1');
  });

  test('the certificate forwarded as nginx and Envoy forward it gives the fingerprint TLS gives', async () => {
    const overTls = (await get({ cert: device.pem, key: device.keyPem })).fingerprint;
    assert.equal(overTls, device.fingerprint);
    // nginx's $ssl_client_escaped_cert escapes like encodeURIComponent; some proxies escape only
    // what must be (spaces, newlines, +, /, =). Both decode to the same PEM.
    const minimal = device.pem.replace(
      /[ \n+/=%]/g,
      (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
    );
    for (const escaped of [encodeURIComponent(device.pem), minimal]) {
      const resolved = resolvePeer(
        { 'x-client-cert': escaped, [PROXY_SECRET_HEADER]: SECRET },
        NO_CONNECTION,
        NGINX,
      );
      assert.deepEqual(resolved, { ok: true, peer: { fingerprint: overTls, ip: '10.1.1.1' } });
    }
    const xfcc = `By=spiffe://proxy.example/front;Hash=${overTls};Cert="${encodeURIComponent(device.pem)}";Subject="CN=front-door, O=Example; Inc";DNS=laptop.example`;
    const viaEnvoy = resolvePeer(
      { 'x-forwarded-client-cert': xfcc, [PROXY_SECRET_HEADER]: SECRET },
      NO_CONNECTION,
      ENVOY,
    );
    assert.deepEqual(viaEnvoy, { ok: true, peer: { fingerprint: overTls, ip: '10.1.1.1' } });
  });

  test('no certificate means no fingerprint, and the connection still works', async () => {
    assert.deepEqual(await get({}), { fingerprint: null, ip: '127.0.0.1' });
  });

  test('a client cannot forge the internal header or the proxy header in direct mode', async () => {
    const forged = Buffer.from(
      JSON.stringify({ fingerprint: FINGERPRINT, ip: '10.0.0.1' }),
    ).toString('base64url');
    const peer = await get({
      headers: {
        [PEER_HEADER]: `${forged}.bogus`,
        'x-client-cert-sha256': FINGERPRINT,
        [PROXY_SECRET_HEADER]: PROXY.mode === 'proxy' ? PROXY.proxySecret : '',
      },
    });
    assert.equal(peer.fingerprint, null);
  });

  test('every request on a keep-alive connection gets its certificate, forged headers or not', async () => {
    let connections = 0;
    const count = () => connections++;
    server.on('secureConnection', count);
    const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const forged = { [PEER_HEADER]: 'e30.bogus', 'x-client-cert-sha256': FINGERPRINT };
      const client = { cert: device.pem, key: device.keyPem, agent };
      for (const headers of [{}, forged, {}])
        assert.deepEqual(await get({ ...client, headers }), {
          fingerprint: device.fingerprint,
          ip: '127.0.0.1',
        });
      assert.equal(connections, 1);
    } finally {
      agent.destroy();
      server.off('secureConnection', count);
    }
  });
});

describe('proxy mode', () => {
  test('the proxy header counts only with the shared secret', () => {
    const withSecret = resolvePeer(
      {
        'x-client-cert-sha256': FINGERPRINT.toUpperCase(),
        [PROXY_SECRET_HEADER]: 's'.repeat(40),
        'x-forwarded-for': '198.51.100.9, 203.0.113.5',
      },
      { peerCertificateDer: null, remoteAddress: '10.1.1.1' },
      PROXY,
    );
    assert.deepEqual(withSecret, {
      ok: true,
      peer: { fingerprint: FINGERPRINT, ip: '203.0.113.5' },
    });
  });

  test('a wrong or missing proxy secret means no certificate at all', () => {
    for (const secret of ['s'.repeat(39), 'x'.repeat(40), undefined]) {
      const headers = {
        'x-client-cert-sha256': FINGERPRINT,
        ...(secret ? { [PROXY_SECRET_HEADER]: secret } : {}),
      };
      const peer = resolvePeer(
        headers,
        { peerCertificateDer: null, remoteAddress: '10.1.1.1' },
        PROXY,
      );
      assert.deepEqual(peer, { ok: true, peer: { fingerprint: null, ip: '10.1.1.1' } });
    }
  });

  test('a SHA-1 sized or garbled fingerprint from the proxy is refused', () => {
    for (const value of ['ab'.repeat(20), 'zz'.repeat(32), 'ab'.repeat(31)]) {
      const resolved = resolvePeer(
        { 'x-client-cert-sha256': value, [PROXY_SECRET_HEADER]: SECRET },
        { peerCertificateDer: null, remoteAddress: null },
        PROXY,
      );
      assert.equal(resolved.ok, false, value);
      if (!resolved.ok) assert.equal(resolved.refusal.status, 400);
    }
  });

  test('proxy headers and secrets never reach the application', () => {
    const headers: Record<string, string> = {
      'x-client-cert-sha256': FINGERPRINT,
      [PROXY_SECRET_HEADER]: 's'.repeat(40),
    };
    applyPeerHeader(headers, { fingerprint: FINGERPRINT, ip: null }, PROXY, KEY);
    assert.equal(headers['x-client-cert-sha256'], undefined);
    assert.equal(headers[PROXY_SECRET_HEADER], undefined);
    assert.equal(readPeerHeader(headers[PEER_HEADER]!, KEY).fingerprint, FINGERPRINT);
  });
});

describe('peer header', () => {
  test('a header signed with another key, or tampered with, is ignored', () => {
    const headers: Record<string, string> = {};
    applyPeerHeader(headers, { fingerprint: FINGERPRINT, ip: '127.0.0.1' }, DIRECT, KEY);
    const value = headers[PEER_HEADER]!;
    assert.equal(readPeerHeader(value, KEY).fingerprint, FINGERPRINT);
    assert.equal(readPeerHeader(value, 'another-key').fingerprint, null);
    const [, signature] = value.split('.');
    const tampered = `${Buffer.from(JSON.stringify({ fingerprint: 'cd'.repeat(32), ip: null })).toString('base64url')}.${signature}`;
    assert.equal(readPeerHeader(tampered, KEY).fingerprint, null);
    assert.equal(readPeerHeader(value, undefined).fingerprint, null);
  });
});

describe('proxy mode: nginx and Envoy formats', () => {
  let device: Awaited<ReturnType<typeof deviceCertificate>>;
  before(async () => {
    device = await deviceCertificate('forwarded');
  });

  test('a forged certificate header without the proxy secret is ignored, in every format', () => {
    const forged = {
      'x-client-cert-sha256': FINGERPRINT,
      'x-client-cert': encodeURIComponent(device.pem),
      'x-forwarded-client-cert': `Hash=${device.fingerprint}`,
    };
    for (const config of [PROXY, NGINX, ENVOY]) {
      for (const secret of [undefined, 'x'.repeat(40), `${SECRET} `]) {
        const resolved = resolvePeer(
          { ...forged, ...(secret ? { [PROXY_SECRET_HEADER]: secret } : {}) },
          NO_CONNECTION,
          config,
        );
        assert.deepEqual(resolved, { ok: true, peer: { fingerprint: null, ip: '10.1.1.1' } });
      }
    }
  });

  test('through the real proxy, only the configured format counts: a client-sent header of another format is ignored', () => {
    // nginx overwrites x-client-cert but passes an XFCC or fingerprint header from the client through.
    const resolved = resolvePeer(
      {
        [PROXY_SECRET_HEADER]: SECRET,
        'x-client-cert-sha256': FINGERPRINT,
        'x-forwarded-client-cert': `Hash=${FINGERPRINT}`,
      },
      NO_CONNECTION,
      NGINX,
    );
    assert.deepEqual(resolved, { ok: true, peer: { fingerprint: null, ip: '10.1.1.1' } });
    const headers: Record<string, string> = {
      'x-client-cert-sha256': FINGERPRINT,
      'x-client-cert': 'x',
      'x-forwarded-client-cert': `Hash=${FINGERPRINT}`,
    };
    applyPeerHeader(headers, { fingerprint: null, ip: null }, NGINX, KEY);
    assert.deepEqual(Object.keys(headers), [PEER_HEADER]);
  });

  test("Envoy: the last element is the proxy's own; hashes a client put in earlier elements are ignored", () => {
    const xfcc = `Hash=${FINGERPRINT};Subject="CN=forged, O=\\"x\\", y",By=spiffe://edge;Hash=${device.fingerprint.toUpperCase()};URI=spiffe://laptop`;
    const resolved = resolvePeer(
      { 'x-forwarded-client-cert': xfcc, [PROXY_SECRET_HEADER]: SECRET },
      NO_CONNECTION,
      ENVOY,
    );
    assert.deepEqual(resolved, {
      ok: true,
      peer: { fingerprint: device.fingerprint, ip: '10.1.1.1' },
    });
  });

  test('an empty certificate header means the client presented none', () => {
    for (const config of [PROXY, NGINX, ENVOY]) {
      const resolved = resolvePeer(
        { [config.proxyCertHeader]: '  ', [PROXY_SECRET_HEADER]: SECRET },
        NO_CONNECTION,
        config,
      );
      assert.deepEqual(resolved, { ok: true, peer: { fingerprint: null, ip: '10.1.1.1' } });
    }
  });

  test('a malformed certificate header from the proxy is a 400 that says what is wrong', () => {
    const other = encodeURIComponent(device.pem);
    const cases: [FrontDoorConfig, string, RegExp][] = [
      [NGINX, '-----BEGIN%20CERTIFICATE-----%ZZ', /malformed %-escape/],
      [NGINX, 'not a certificate', /found none/],
      [NGINX, other + other, /found 2/],
      [
        NGINX,
        encodeURIComponent('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'),
        /not a valid X.509/,
      ],
      [NGINX, 'a'.repeat(17 * 1024), /longer than 16 KiB/],
      [ENVOY, 'By=spiffe://edge;Subject="CN=x', /quotes balanced/],
      [ENVOY, 'By=spiffe://edge;URI=spiffe://laptop', /exactly one Hash=.*found 0/],
      [ENVOY, `Hash=${FINGERPRINT};Hash=${FINGERPRINT}`, /found 2/],
      [ENVOY, `Hash=${'ab'.repeat(20)}`, /SHA-1 fingerprint, which is never accepted/],
      [ENVOY, 'garbage', /not an x-forwarded-client-cert value/],
      [PROXY, 'ab'.repeat(20), /SHA-1/],
    ];
    for (const [config, value, message] of cases) {
      const resolved = resolvePeer(
        { [config.proxyCertHeader]: value, [PROXY_SECRET_HEADER]: SECRET },
        NO_CONNECTION,
        config,
      );
      assert.equal(resolved.ok, false, value.slice(0, 60));
      if (resolved.ok) continue;
      assert.equal(resolved.refusal.status, 400);
      assert.equal(resolved.refusal.code, 'bad_client_certificate_header');
      assert.match(resolved.refusal.message, message);
      assert.match(resolved.refusal.message, new RegExp(config.proxyCertHeader));
    }
  });
});

describe('front door in proxy mode over real TLS', () => {
  let server: https.Server;
  let port: number;
  let ca: string;
  let device: Awaited<ReturnType<typeof deviceCertificate>>;

  before(async () => {
    const dataDir = process.env.FIRSTKEY_DATA_DIR!;
    const files = await ensureServerCertificate(dataDir, 'localhost');
    ca = fs.readFileSync(`${dataDir}/ca/ca.pem`, 'utf8');
    device = await deviceCertificate('proxied');
    // What server.ts does with each request: refuse, or hand the signed peer on.
    server = https.createServer(
      { cert: fs.readFileSync(files.certPath), key: fs.readFileSync(files.keyPath) },
      (req, res) => {
        const refusal = admitRequest(req, NGINX, KEY);
        if (refusal) return writeRefusal(res, refusal, req.method);
        const header = req.headers[PEER_HEADER];
        res.end(JSON.stringify(readPeerHeader(typeof header === 'string' ? header : null, KEY)));
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => server.close());

  function get(headers: Record<string, string>): Promise<{ status: number; body: unknown }> {
    return new Promise((resolve, reject) => {
      const req = https.request(
        { host: '127.0.0.1', servername: 'localhost', port, path: '/', ca, headers },
        (res) => {
          let body = '';
          res.on('data', (chunk) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(body) }));
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  test('the escaped PEM with the secret binds the certificate; a malformed one is a 400 problem, not a 500', async () => {
    const good = await get({
      'x-client-cert': encodeURIComponent(device.pem),
      [PROXY_SECRET_HEADER]: SECRET,
    });
    assert.deepEqual(good, {
      status: 200,
      body: { fingerprint: device.fingerprint, ip: '127.0.0.1' },
    });
    const bad = await get({ 'x-client-cert': '%E0%A4%A', [PROXY_SECRET_HEADER]: SECRET });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body, {
      error: {
        code: 'bad_client_certificate_header',
        message: "The proxy's x-client-cert header is not URL-encoded PEM (a malformed %-escape)",
      },
    });
    const forged = await get({ 'x-client-cert': encodeURIComponent(device.pem) });
    assert.deepEqual(forged, { status: 200, body: { fingerprint: null, ip: '127.0.0.1' } });
  });
});
