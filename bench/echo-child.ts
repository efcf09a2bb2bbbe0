/**
 * The floor of the admission figures: an HTTPS server in a child process
 * that reads each body and answers a fixed reply without looking at it. It
 * shows what the machine, TLS and the load generator cost on their own.
 * Started like webhook-child.ts, with the same environment.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';

const REPLY = '{"floor":true}';

function main(): void {
  const server = createServer(
    {
      cert: readFileSync(requiredEnv('BENCH_TLS_CERT')),
      key: readFileSync(requiredEnv('BENCH_TLS_KEY')),
    },
    (req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(REPLY);
      });
    },
  );
  server.listen(0, '127.0.0.1', () => {
    process.send?.({ port: (server.address() as AddressInfo).port });
  });
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.once('disconnect', stop);
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`echo child: ${name} is not set`);
  return value;
}

main();
