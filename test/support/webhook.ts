/**
 * Starts the real admission server on 127.0.0.1 with a throwaway CA, and
 * posts AdmissionReviews to it over HTTPS.
 */
import { request } from 'node:https';
import { Writable } from 'node:stream';
import pino from 'pino';
import { startAdmissionServer } from '../../admission';
import type { Config } from '../../core/config';
import type { Engine } from '../../core/engine';
import type { ClusterLookup } from '../../core/facts';
import { createTestCa, issueServerCert, removeTestCa } from './tls';

export interface TestWebhook {
  review(body: unknown): Promise<{ status: number; body: any }>;
  /** Parsed JSON log lines written so far. */
  readonly logs: Record<string, unknown>[];
  close(): Promise<void>;
}

export async function startTestWebhook(options: {
  config: Config;
  engine?: Engine;
  lookup?: ClusterLookup;
}): Promise<TestWebhook> {
  const ca = createTestCa();
  const cert = issueServerCert(ca);
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  const server = await startAdmissionServer({
    ...options,
    host: '127.0.0.1',
    port: 0,
    tlsCertFile: cert.certFile,
    tlsKeyFile: cert.keyFile,
    logger: pino({ level: 'debug' }, sink),
  });
  return {
    logs,
    review: (body) => post(server.port, ca.certPem, body),
    close: async () => {
      await server.close();
      removeTestCa(ca);
    },
  };
}

function post(
  port: number,
  caPem: string,
  body: unknown,
): Promise<{ status: number; body: any }> {
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/validate',
        method: 'POST',
        ca: caPem,
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Wraps an object in a CREATE AdmissionReview. */
export function createReview(object: any, uid = 'test-uid'): unknown {
  const [group, version] = String(object.apiVersion).includes('/')
    ? String(object.apiVersion).split('/')
    : ['', object.apiVersion];
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid,
      kind: { group, version, kind: object.kind },
      resource: {
        group,
        version,
        resource: `${String(object.kind).toLowerCase()}s`,
      },
      name: object.metadata?.name,
      namespace: object.metadata?.namespace,
      operation: 'CREATE',
      userInfo: { username: 'test' },
      object,
      dryRun: false,
    },
  };
}
