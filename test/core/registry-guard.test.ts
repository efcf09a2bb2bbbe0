import { createServer, type Server, type Socket } from 'node:net';
import { buildConfig } from '../../core/config';
import { createEngine } from '../../core/engine';
import {
  guardRegistries,
  isInternalHost,
  verifierFromConfig,
} from '../../core/facts';
import { parseImageRef } from '../../core/image-ref';
import type { ImageFact, ImageVerifier } from '../../core/signature';
import { startScriptedServer } from '../registry/loopback';

const DIGEST = `sha256:${'a'.repeat(64)}`;

interface CountingServer {
  readonly host: string;
  connections(): number;
  stop(): Promise<void>;
}

/** A loopback TCP server that only counts the connections it accepts. */
async function startCountingServer(): Promise<CountingServer> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server: Server = createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    host: `127.0.0.1:${port}`,
    connections: () => accepted,
    stop: () =>
      new Promise<void>((r) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => r());
      }),
  };
}

function notAllowed(host: string) {
  return {
    code: 'REGISTRY_NOT_ALLOWED',
    message:
      `registry ${host} is a private address that is not listed under ` +
      'registries; list it to allow lookups',
  };
}

describe('verifierFromConfig', () => {
  let server: CountingServer;
  beforeEach(async () => {
    server = await startCountingServer();
  });
  afterEach(() => server.stop());

  describe('when an image names an internal registry that is not listed', () => {
    it('answers REGISTRY_NOT_ALLOWED without opening a connection', async () => {
      const ref = `${server.host}/ml/llm@${DIGEST}`;
      const fact = await verifierFromConfig(buildConfig({})).verify(
        parseImageRef(ref),
      );

      expect(fact).toEqual({
        ref,
        signatures: 0,
        signers: [],
        error: notAllowed(server.host),
      });
      expect(server.connections()).toBe(0);
    });

    it('denies with MG-PROV-003 and none of the connection detail', async () => {
      const config = buildConfig({});
      const engine = await createEngine({
        config,
        verifier: verifierFromConfig(config),
      });
      const image = `${server.host}/ml/vllm@${DIGEST}`;
      const verdict = await engine.judge({
        operation: 'CREATE',
        object: {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'llm', namespace: 'ml' },
          spec: { containers: [{ name: 'server', image }] },
        },
      });

      const finding = verdict.findings.find((f) => f.rule === 'MG-PROV-003');
      expect(verdict.decision).toBe('deny');
      expect(finding?.message).toContain(notAllowed(server.host).message);
      expect(finding?.message).not.toMatch(/refused|reset|tls/);
      expect(server.connections()).toBe(0);
    });
  });

  describe('when the internal registry is listed', () => {
    it('contacts it', async () => {
      const registry = await startScriptedServer((_q, s) =>
        s.writeHead(404).end(),
      );
      try {
        // Listed under another spelling of the same host.
        const host = registry.host.replace(':', '.:');
        const config = buildConfig({ registries: [{ host, insecure: true }] });
        const fact = await verifierFromConfig(config).verify(
          parseImageRef(`${registry.host}/ml/llm:v1`),
        );

        expect(fact.error?.code).toBe('REGISTRY_NOT_FOUND');
        expect(registry.requests).toEqual(['HEAD /v2/ml/llm/manifests/v1']);
      } finally {
        await registry.stop();
      }
    });
  });
});

describe('guardRegistries', () => {
  describe('when the wrapped verifier reports a long error', () => {
    it('cuts the message to 200 characters', async () => {
      const long: ImageVerifier = {
        verify: async (ref): Promise<ImageFact> => ({
          ref: ref.canonical,
          signatures: 0,
          signers: [],
          error: { code: 'REGISTRY_PROTOCOL', message: 'x'.repeat(5000) },
        }),
      };
      const fact = await guardRegistries(long, []).verify(
        parseImageRef('registry.example.com/ml/llm:v1'),
      );

      expect(fact.error?.code).toBe('REGISTRY_PROTOCOL');
      expect(fact.error?.message.length).toBeLessThanOrEqual(200);
    });
  });
});

describe('isInternalHost', () => {
  it.each([
    ['127.0.0.1:5000'],
    ['127.1'],
    ['2130706433'],
    ['10.1.2.3'],
    ['172.16.0.1'],
    ['172.31.255.255:443'],
    ['192.168.1.1'],
    ['169.254.169.254'],
    ['0.0.0.0'],
    ['100.64.0.1'],
    ['[::1]:5000'],
    ['[::]'],
    ['[fc00::1]'],
    ['[fd12:3456::1]'],
    ['[fe80::1]'],
    ['[febf::1]'],
    ['[::ffff:10.0.0.1]'],
    ['[::ffff:127.0.0.1]'],
    ['localhost'],
    ['localhost.:5000'],
    ['registry.localhost'],
  ])('is true for %s', (host) => {
    expect(isInternalHost(host)).toBe(true);
  });

  it.each([
    ['8.8.8.8'],
    ['172.32.0.1'],
    ['192.169.0.1'],
    ['100.128.0.1'],
    ['[2001:db8::1]'],
    ['[::ffff:8.8.8.8]'],
    ['registry.corp'],
    ['ghcr.io'],
    ['notlocalhost'],
    // LIMITATION: names are not resolved, even those that resolve inward.
    ['10.0.0.1.nip.io'],
  ])('is false for %s', (host) => {
    expect(isInternalHost(host)).toBe(false);
  });
});
