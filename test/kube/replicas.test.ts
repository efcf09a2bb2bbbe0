/**
 * Availability end to end: two `modelgate serve` replicas behind a front
 * that, like a Service, sends new connections only to replicas whose
 * /readyz is ready. One replica is terminated in the middle of a burst; the
 * API server must see no failed admission. And a replica whose cluster view
 * has not synced must say so on /readyz.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  freePorts,
  getStatus,
  missingTools,
  startLoggedProcess,
  stopProcess,
  ROOT,
} from '../support/kube';
import { startE2e, type E2e } from '../support/kube-e2e';
import {
  COMPLIANT_LABELS,
  RATE,
  namespace,
  pod,
} from '../support/kube-manifests';
import {
  buildDist,
  startFront,
  waitUntil,
  type Front,
  type Replica,
} from '../support/kube-webhook';

const missing = missingTools(['etcd', 'kube-apiserver', 'kubectl', 'helm']);
if (missing) console.warn(`skipping kube replicas e2e: ${missing}`);
const suite = missing ? describe.skip : describe;
jest.setTimeout(300_000);

const CONFIG = 'rules: { MG-PROV: off }\n';
const BURST = 48;
const PARALLEL = 4;
const TERMINATE_AFTER = 12;

suite('two webhook replicas behind one address', () => {
  let e2e: E2e;
  let replicas: Replica[];
  let front: Front;

  beforeAll(async () => {
    buildDist();
    e2e = await startE2e([namespace('ml')]);
    replicas = [await e2e.replica(CONFIG, 2), await e2e.replica(CONFIG, 2)];
    front = await startFront(replicas, e2e.ca.certPem);
    await e2e.register(`https://127.0.0.1:${front.port}/validate`);
  }, 600_000);

  afterAll(async () => {
    await front?.close();
    await e2e?.stop();
  }, 120_000);

  describe('when one replica is terminated during a burst of creates', () => {
    it('admits every request: the API server sees no failed call', async () => {
      const [doomed, survivor] = replicas as [Replica, Replica];
      const results: { code: number; stderr: string }[] = [];
      let next = 0;
      let terminated: Promise<void> | undefined;
      const worker = async () => {
        while (next < BURST) {
          const i = next++;
          const p = pod('ml', `burst-${i}`, {
            labels: COMPLIANT_LABELS,
            annotations: RATE,
          });
          results.push(await e2e.create(p));
          if (results.length === TERMINATE_AFTER)
            terminated = stopProcess(doomed.process);
        }
      };
      await Promise.all(Array.from({ length: PARALLEL }, worker));
      await terminated;

      expect(results.filter((r) => r.code !== 0).map((r) => r.stderr)).toEqual(
        [],
      );
      expect(results).toHaveLength(BURST);
      expect(doomed.process.exitCode).toBe(0);
      expect(doomed.output()).toContain('SIGTERM received, draining for 2 s');
      expect(survivor.process.exitCode).toBeNull();
      // The survivor still judges: a bare model pod is refused.
      const bare = await e2e.apply(
        pod('ml', 'bare', { labels: { 'modelgate.io/model': 'true' } }),
      );
      expect(bare.stderr).toContain('modelgate denied Pod ml/bare');
    });
  });

  describe('when the API server cannot be reached yet', () => {
    let gate: Gate;
    afterEach(async () => {
      await gate?.close();
    });

    it('reports /readyz not ready until the cluster view has synced', async () => {
      gate = await startGate(new URL(e2e.cp.server).port);
      const kubeconfig = join(e2e.dir, 'gated.kubeconfig');
      const doc = JSON.parse(readFileSync(e2e.cp.kubeconfig, 'utf8'));
      doc.clusters[0].cluster.server = `https://127.0.0.1:${gate.port}`;
      writeFileSync(kubeconfig, JSON.stringify(doc));
      const [port] = await freePorts(1);
      const child = startLoggedProcess(
        'webhook-gated',
        process.execPath,
        e2e.dir,
        [
          join(ROOT, 'bin', 'modelgate.js'),
          'serve',
          '--host=127.0.0.1',
          `--port=${port}`,
          `--tls-cert=${e2e.cert.certFile}`,
          `--tls-key=${e2e.cert.keyFile}`,
          `--kubeconfig=${kubeconfig}`,
        ],
      );
      try {
        const readyz = `https://127.0.0.1:${port}/readyz`;
        await waitUntil(
          async () => (await getStatus(readyz, { ca: e2e.ca.certPem })) === 503,
          () => child.exitCode !== null,
          'the webhook never answered /readyz',
        );
        expect(await readyzBody(readyz, e2e.ca.certPem)).toEqual({
          status: 'not ready',
          waitingFor: ['cluster lookup'],
        });

        gate.open();
        await waitUntil(
          async () => (await getStatus(readyz, { ca: e2e.ca.certPem })) === 200,
          () => child.exitCode !== null,
          'the webhook never synced once the API server was reachable',
        );
      } finally {
        await stopProcess(child);
      }
    });
  });
});

/** A TCP forwarder to the API server that refuses connections until opened. */
interface Gate {
  readonly port: number;
  open(): void;
  close(): Promise<void>;
}

async function startGate(target: string): Promise<Gate> {
  let open = false;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    if (!open) {
      client.destroy();
      return;
    }
    const upstream = connect(Number(target), '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.once('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
  });
  const [port] = await freePorts(1);
  await new Promise<void>((resolve) =>
    server.listen(port, '127.0.0.1', resolve),
  );
  return {
    port: port!,
    open: () => {
      open = true;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function readyzBody(url: string, ca: string): Promise<unknown> {
  const { request } = await import('node:https');
  return new Promise((resolve, reject) => {
    request(url, { ca }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve(JSON.parse(body)));
    })
      .on('error', reject)
      .end();
  });
}
