/**
 * A Web Push service in the test process: an https server (web-push sends over https
 * only; a self-signed certificate in test/fixtures/push) that takes what the app pushes
 * to `https://127.0.0.1:<port>/push/<device>`, checks the VAPID signature against the
 * app's public key, and decrypts the payload with the device's own private key and auth
 * secret (aes128gcm, RFC 8188/8291, through http_ece) as a browser would. A device can be
 * told to answer a status (410 gone, 429 busy…) instead of taking it.
 */
import { createECDH, createPublicKey, randomBytes, verify, type ECDH } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, Agent, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import ece from 'http_ece';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../fixtures/push/${name}`, import.meta.url)));

export type Device = {
  readonly name: string;
  readonly endpoint: string;
  /** base64url, as a browser's PushSubscription.toJSON() gives them. */
  readonly p256dh: string;
  readonly auth: string;
  readonly ecdh: ECDH;
  readonly authSecret: Buffer;
};

export type ReceivedPush = {
  readonly device: string;
  readonly payload: { title: string; body: string; url: string };
  readonly ttl: string | undefined;
  readonly urgency: string | undefined;
  readonly topic: string | undefined;
  /** The VAPID JWT's claims (aud, exp, sub), its signature checked. */
  readonly claims: { aud: string; exp: number; sub: string };
  readonly vapidKey: string;
};

export type PushService = {
  readonly url: string;
  /** An https.Agent that trusts the service's certificate (the app's transport uses it in tests). */
  readonly agent: Agent;
  received: ReceivedPush[];
  /** What a device answers instead of 201, or null to take it. */
  answer: (device: string) => number | null;
  /** A new device: a P-256 key pair and a 16-byte auth secret, as a browser makes them. */
  device(name: string): Device;
  close(): Promise<void>;
};

function checkVapid(header: string | undefined, origin: string): { claims: ReceivedPush['claims']; key: string } {
  const m = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(header ?? '');
  if (!m) throw new Error(`no VAPID authorization: ${header}`);
  const [jwt, k] = [m[1]!, m[2]!];
  const [h, p, sig] = jwt.split('.') as [string, string, string];
  const point = Buffer.from(k, 'base64url');
  const key = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33, 65).toString('base64url') }, format: 'jwk' });
  if (!verify('sha256', Buffer.from(`${h}.${p}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(sig, 'base64url'))) throw new Error('bad VAPID signature');
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as ReceivedPush['claims'];
  if (claims.aud !== origin) throw new Error(`VAPID audience ${claims.aud}, not ${origin}`);
  return { claims, key: k };
}

export async function startPushService(): Promise<PushService> {
  const devices = new Map<string, Device>();
  let server: Server;
  const service: PushService = {
    url: '',
    agent: new Agent({ ca: fixture('localhost.crt'), keepAlive: false }),
    received: [],
    answer: () => null,
    device(name) {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const authSecret = randomBytes(16);
      const d: Device = { name, endpoint: `${service.url}/push/${name}`, p256dh: ecdh.getPublicKey().toString('base64url'), auth: authSecret.toString('base64url'), ecdh, authSecret };
      devices.set(name, d);
      return d;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  server = createServer({ key: fixture('localhost.key'), cert: fixture('localhost.crt') }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const name = decodeURIComponent((req.url ?? '').replace(/^\/push\//, ''));
      const d = devices.get(name);
      const status = service.answer(name);
      if (!d || status !== null) {
        res.writeHead(d ? status! : 404, { 'content-type': 'text/plain' }).end(d ? `answered ${status}` : 'no such subscription');
        return;
      }
      try {
        if (req.headers['content-encoding'] !== 'aes128gcm') throw new Error(`content-encoding ${req.headers['content-encoding']}`);
        const { claims, key } = checkVapid(req.headers.authorization, service.url);
        const plain = ece.decrypt(Buffer.concat(chunks), { version: 'aes128gcm', privateKey: d.ecdh, authSecret: d.auth });
        service.received.push({
          device: name,
          payload: JSON.parse(plain.toString('utf8')) as ReceivedPush['payload'],
          ttl: req.headers.ttl as string | undefined,
          urgency: req.headers.urgency as string | undefined,
          topic: req.headers.topic as string | undefined,
          claims,
          vapidKey: key,
        });
        res.writeHead(201).end();
      } catch (err) {
        res.writeHead(400, { 'content-type': 'text/plain' }).end(String(err));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  (service as { url: string }).url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return service;
}
