/**
 * Runs the real admission server on 127.0.0.1 behind a throwaway CA and
 * talks to it over real HTTPS, capturing what it logs.
 */
import { request } from 'node:https';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import {
  startAdmissionServer,
  type AdmissionServerOptions,
  type ReviewResponse,
} from '../../admission';
import {
  createTestCa,
  issueServerCert,
  removeTestCa,
  type TestCa,
} from '../support/tls';

export type LogLine = Record<string, unknown> & { level: number; msg: string };

/** The response part of an AdmissionReview the gate answered with. */
export type ReviewAnswer = ReviewResponse['response'];

/** Every JSON body the gate sends; which fields are set depends on route. */
export interface AnswerBody extends Partial<ReviewResponse> {
  readonly error?: string;
  readonly message?: string;
  readonly status?: string;
  readonly waitingFor?: readonly string[];
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  /** The body parsed as JSON; empty when it is not JSON. */
  readonly json: AnswerBody;
}

export interface SendOptions {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  /** Send the body in chunks without a content-length. */
  readonly chunked?: boolean;
}

export interface Gate {
  readonly port: number;
  readonly ca: TestCa;
  readonly logs: LogLine[];
  send(
    path: string,
    body?: string | Buffer,
    o?: SendOptions,
  ): Promise<HttpAnswer>;
  /** Posts a review to /validate and returns the answer. */
  review(body: unknown): Promise<HttpAnswer>;
  /** Posts a review and returns its response, failing unless HTTP 200. */
  respond(body: unknown): Promise<ReviewAnswer>;
  /** Log lines that carry the given request uid. */
  logsOf(uid: string): LogLine[];
  close(): Promise<void>;
}

export type GateOptions = Omit<
  AdmissionServerOptions,
  'port' | 'host' | 'tlsCertFile' | 'tlsKeyFile' | 'logger'
>;

export const LEVEL = { info: 30, warn: 40, error: 50 } as const;

export async function startGate(options: GateOptions): Promise<Gate> {
  const ca = createTestCa();
  const cert = issueServerCert(ca);
  const { logger, logs } = captureLogs();
  const server = await startAdmissionServer({
    ...options,
    host: '127.0.0.1',
    port: 0,
    tlsCertFile: cert.certFile,
    tlsKeyFile: cert.keyFile,
    logger,
  }).catch((err: unknown) => {
    removeTestCa(ca);
    throw err;
  });

  const send: Gate['send'] = (path, body, o) =>
    httpsSend(server.port, ca.certPem, path, body, o);
  return {
    port: server.port,
    ca,
    logs,
    send,
    review: (body) => send('/validate', JSON.stringify(body)),
    respond: async (body) =>
      responseOf(await send('/validate', JSON.stringify(body))),
    logsOf: (uid) => logs.filter((l) => l.uid === uid),
    close: async () => {
      await server.close();
      removeTestCa(ca);
    },
  };
}

/** A pino logger that keeps each JSON line it writes. */
export function captureLogs(): { logger: pino.Logger; logs: LogLine[] } {
  const logs: LogLine[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) {
        logs.push(JSON.parse(line) as LogLine);
      }
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, sink), logs };
}

export function httpsSend(
  port: number,
  caPem: string,
  path: string,
  body?: string | Buffer,
  o: SendOptions = {},
): Promise<HttpAnswer> {
  const method = o.method ?? (body === undefined ? 'GET' : 'POST');
  const headers = {
    ...(body !== undefined && { 'content-type': 'application/json' }),
    ...o.headers,
  };
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method,
        ca: caPem,
        headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: parseOrEmpty(text),
          });
        });
      },
    );
    // The server may answer (413) before it has read everything we send.
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE' && err.code !== 'ECONNRESET') reject(err);
    });
    if (body !== undefined && o.chunked) {
      req.setHeader('transfer-encoding', 'chunked');
      const step = 64 * 1024;
      for (let i = 0; i < body.length; i += step) {
        req.write(body.slice(i, i + step));
      }
      req.end();
    } else {
      req.end(body);
    }
  });
}

function parseOrEmpty(text: string): AnswerBody {
  try {
    return JSON.parse(text) as AnswerBody;
  } catch {
    return {};
  }
}

function responseOf(answer: HttpAnswer): ReviewAnswer {
  const { response } = answer.json;
  if (answer.status !== 200 || response === undefined) {
    throw new Error(
      `expected an AdmissionReview, got ${answer.status} ${answer.text}`,
    );
  }
  return response;
}

/** Reads one sample of a metric from Prometheus text, 0 when absent. */
export function sample(
  metricsText: string,
  name: string,
  labels: Record<string, string> = {},
): number {
  for (const line of metricsText.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const matches = Object.entries(labels).every(([k, v]) =>
      line.includes(`${k}="${v}"`),
    );
    if (matches) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return 0;
}
