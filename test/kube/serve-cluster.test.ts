/**
 * `modelgate serve` and cluster lookups: which source the flags choose,
 * that the lookup reaches the server and is stopped with it, and that a
 * draining server reports unready. Fakes stand in for admission/ and
 * admission/cluster, so no API server is needed.
 */
import { UsageError } from '../../cli/args';
import {
  clusterSource,
  type AdmissionModule,
  type ClusterModule,
} from '../../cli/serve';
import type { ClusterLookup } from '../../core/facts';
import { run } from '../cli/support';

describe('clusterSource', () => {
  const pod = { KUBERNETES_SERVICE_HOST: '10.0.0.1' };

  it.each([
    [{}, {}, { kind: 'none' }],
    [{ kubeconfig: 'k.yaml' }, {}, { kind: 'kubeconfig', file: 'k.yaml' }],
    [{ cluster: true }, {}, { kind: 'in-cluster' }],
    [{}, pod, { kind: 'in-cluster' }],
    [{ 'no-cluster': true }, pod, { kind: 'none' }],
    [{ kubeconfig: 'k.yaml' }, pod, { kind: 'kubeconfig', file: 'k.yaml' }],
  ] as const)('flags %j in env %j read from %j', (flags, env, source) => {
    expect(clusterSource(flags, env)).toEqual(source);
  });

  it.each([
    [{ kubeconfig: 'k', cluster: true }, '--kubeconfig and --cluster'],
    [{ cluster: true, 'no-cluster': true }, '--cluster and --no-cluster'],
    [{ kubeconfig: true }, '--kubeconfig FILE is required'],
  ] as const)('refuses %j', (flags, message) => {
    expect(() => clusterSource(flags, {})).toThrow(UsageError);
    expect(() => clusterSource(flags, {})).toThrow(message);
  });
});

describe('modelgate serve with cluster lookups', () => {
  function fakes() {
    const events: string[] = [];
    let lookup: ClusterLookup | undefined;
    const cluster: ClusterModule = {
      startClusterLookup: (options) => {
        events.push(
          `lookup started: ${options?.kubeconfigFile ?? 'in-cluster'}`,
        );
        return {
          related: async () => [],
          synced: () => true,
          stop: async () => {
            events.push('lookup stopped');
          },
        };
      },
    };
    const admission: AdmissionModule = {
      startAdmissionServer: async (options) => {
        lookup = options.lookup;
        events.push('server started');
        // Not a literal, so it fits AdmissionServer with or without drain().
        const server = {
          port: 1,
          url: 'https://127.0.0.1:1',
          drain: () => {
            events.push('server draining');
          },
          close: async () => {
            events.push(`server closed, ready: ${lookup!.synced()}`);
          },
        };
        return server;
      },
    };
    return { events, cluster, admission, lookup: () => lookup };
  }

  const TLS = ['--tls-cert', 'c.pem', '--tls-key', 'k.pem'];

  describe('when given --kubeconfig', () => {
    it('starts the lookup first, hands it to the server, and stops it last', async () => {
      const f = fakes();
      const r = await run(['serve', ...TLS, '--kubeconfig', 'k.yaml'], {
        deps: {
          serve: {
            loadCluster: async () => f.cluster,
            loadAdmission: async () => f.admission,
            waitForStop: async () => 'SIGTERM',
            env: {},
          },
        },
      });
      expect(r.code).toBe(0);
      expect(f.events).toEqual([
        'lookup started: k.yaml',
        'server started',
        'server closed, ready: true',
        'lookup stopped',
      ]);
      expect(r.stderr).toContain(
        'reading cluster state through kubeconfig k.yaml',
      );
    });
  });

  describe('when told to drain', () => {
    it('reports unready before it closes', async () => {
      const f = fakes();
      const r = await run(
        ['serve', ...TLS, '--no-cluster', '--drain-seconds', '1'],
        {
          deps: {
            serve: {
              loadCluster: async () => f.cluster,
              loadAdmission: async () => f.admission,
              waitForStop: async () => 'SIGTERM',
              env: {},
            },
          },
        },
      );
      expect(r.code).toBe(0);
      expect(f.events).toEqual([
        'server started',
        'server draining',
        'server closed, ready: false',
      ]);
      expect(r.stderr).toContain('SIGTERM received, draining for 1 s');
    });

    it('refuses a drain that is not a whole number of seconds', async () => {
      const r = await run(['serve', ...TLS, '--drain-seconds', '1.5']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(
        '--drain-seconds must be a whole number of seconds',
      );
    });
  });
});
