/**
 * Small loopback servers for failure modes a real registry will not show on
 * demand: one that accepts and never answers, a port nobody listens on, and
 * a scripted HTTP server that records what it was asked.
 */
import {
  createServer as createHttpServer,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createServer, type Socket } from 'node:net';
import { freePort } from '../support/oci-registry';

export interface Loopback {
  /** `127.0.0.1:<port>` */
  readonly host: string;
  stop(): Promise<void>;
}

export interface ScriptedServer extends Loopback {
  /** `METHOD path` of every request, in order. */
  readonly requests: string[];
}

/** Accepts TCP connections and never writes a byte. */
export async function startHangingServer(): Promise<Loopback> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    host: `127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((r) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => r());
      }),
  };
}

/** A loopback host where nothing listens (connection refused). */
export async function closedHost(): Promise<string> {
  return `127.0.0.1:${await freePort()}`;
}

/** An HTTP server answering with `handler`, recording each request. */
export async function startScriptedServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<ScriptedServer> {
  const requests: string[] = [];
  const server = createHttpServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    host: `127.0.0.1:${port}`,
    requests,
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Forwards every request to `target` (plain HTTP), recording it. */
export function startCountingProxy(target: string): Promise<ScriptedServer> {
  return startScriptedServer((req, res) => {
    const upstream = httpRequest(
      `http://${target}${req.url ?? '/'}`,
      { method: req.method, headers: { ...req.headers, host: target } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
}
