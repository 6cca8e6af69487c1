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
import { deviceCertificate } from '@/lib/testing/certificates';

const KEY = 'front-door-test-key';
const FINGERPRINT = 'ab'.repeat(32);
const PROXY: FrontDoorConfig = {
  mode: 'proxy',
  proxyCertHeader: 'x-client-cert-sha256',
  proxySecret: 's'.repeat(40),
};
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
    assert.deepEqual(withSecret, { fingerprint: FINGERPRINT, ip: '203.0.113.5' });
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
      assert.deepEqual(peer, { fingerprint: null, ip: '10.1.1.1' });
    }
  });

  test('a SHA-1 sized or garbled fingerprint from the proxy is refused', () => {
    const peer = resolvePeer(
      { 'x-client-cert-sha256': 'ab'.repeat(20), [PROXY_SECRET_HEADER]: 's'.repeat(40) },
      { peerCertificateDer: null, remoteAddress: null },
      PROXY,
    );
    assert.equal(peer.fingerprint, null);
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
