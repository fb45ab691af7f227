import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { X509Certificate } from 'node:crypto';
import { startServiceLayerSimulator, type ServiceLayerSimulator } from '../index.js';

function login(url: string, body: string, ca?: string): Promise<{ status: number; cookies: string[] }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, ...(ca ? { ca } : {}) }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, cookies: res.headers['set-cookie'] ?? [] }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('TLS', () => {
  let sim: ServiceLayerSimulator;
  before(async () => {
    sim = await startServiceLayerSimulator({ tls: true });
  });
  after(() => sim.stop());

  test('serves HTTPS with a self-signed certificate for 127.0.0.1 and localhost, exposed as PEM', () => {
    assert.match(sim.baseUrl, /^https:\/\/127\.0\.0\.1:\d+\/b1s\/v2$/);
    assert.match(sim.certificatePem ?? '', /^-----BEGIN CERTIFICATE-----/);
    const cert = new X509Certificate(sim.certificatePem!);
    assert.equal(cert.subject, cert.issuer, 'self-signed');
    assert.ok(cert.checkIP('127.0.0.1'));
    assert.ok(cert.checkHost('localhost'));
  });

  test('a client that trusts only that certificate succeeds; a default client refuses it', async () => {
    const body = JSON.stringify({ CompanyDB: sim.companyDb, UserName: sim.username, Password: sim.password });
    const pinned = await login(`${sim.baseUrl}/Login`, body, sim.certificatePem);
    assert.equal(pinned.status, 200);
    assert.ok(pinned.cookies.some((c) => c.startsWith('B1SESSION=')));
    const viaLocalhost = await login(`${sim.baseUrl.replace('127.0.0.1', 'localhost')}/Login`, body, sim.certificatePem);
    assert.equal(viaLocalhost.status, 200);
    await assert.rejects(login(`${sim.baseUrl}/Login`, body), (e: NodeJS.ErrnoException) => /SELF_SIGNED|self.signed|DEPTH_ZERO/i.test(`${e.code} ${e.message}`));
  });

  test('plain HTTP is the default', async () => {
    const plain = await startServiceLayerSimulator();
    try {
      assert.match(plain.baseUrl, /^http:\/\//);
      assert.equal(plain.certificatePem, undefined);
    } finally {
      await plain.stop();
    }
  });
});
