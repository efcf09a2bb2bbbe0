/**
 * The Helm chart: lint and render with each TLS source, check what real
 * clusters need from every rendered object, and have a real API server
 * accept the manifests through a server-side dry run.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WATCHED } from '../../admission/cluster/kinds';
import { defaultConfig } from '../../core/config';
import {
  ROOT,
  missingTools,
  run,
  startControlPlane,
  toolPath,
  type ControlPlane,
} from '../support/kube';
import { renderChart } from '../support/kube-webhook';
import { createTestCa, removeTestCa, type TestCa } from '../support/tls';

const missing = missingTools(['etcd', 'kube-apiserver', 'kubectl', 'helm']);
if (missing) console.warn(`skipping chart suite: ${missing}`);
const suite = missing ? describe.skip : describe;
jest.setTimeout(240_000);

type Json = Record<string, any>;
const NS = 'modelgate-system';
const CHART = join(ROOT, 'charts', 'modelgate');

suite('charts/modelgate', () => {
  let ca: TestCa;
  const modes: Record<string, () => string[]> = {
    generate: () => [],
    certManager: () => ['--set', 'tls.source=certManager'],
    secret: () => [
      ...['--set', 'tls.source=secret', '--set', 'tls.existingSecret=mg-tls'],
      ...['--set-file', `tls.caBundle=${ca.certFile}`],
    ],
  };
  const rendered: Record<string, Json[]> = {};

  beforeAll(async () => {
    ca = createTestCa();
    for (const [mode, args] of Object.entries(modes)) {
      const { result, docs } = await renderChart(args());
      if (result.code !== 0) throw new Error(`${mode}: ${result.stderr}`);
      rendered[mode] = docs;
    }
  });
  afterAll(() => removeTestCa(ca));

  const find = (mode: string, kind: string) =>
    rendered[mode]!.filter((d) => d.kind === kind);
  const one = (mode: string, kind: string) => {
    const found = find(mode, kind);
    expect(found).toHaveLength(1);
    return found[0]!;
  };

  describe('when linted', () => {
    it.each(Object.keys(modes))(
      'passes helm lint with tls.source %s',
      async (mode) => {
        const r = await run(toolPath('helm'), [
          'lint',
          CHART,
          ...modes[mode]!(),
        ]);
        expect(r.stdout).toContain('1 chart(s) linted, 0 chart(s) failed');
        expect(r.code).toBe(0);
      },
    );
  });

  describe('when values break the schema', () => {
    it.each([
      [['--set', 'replicaCount=1'], 'replicaCount'],
      [['--set', 'webhook.timeoutSeconds=31'], 'timeoutSeconds'],
      [['--set', 'webhook.failurePolicy=Maybe'], 'failurePolicy'],
      [['--set', 'tls.source=secret'], 'existingSecret'],
      [['--set', 'tls.source=vault'], 'source'],
    ])('refuses %j naming %s', async (args, field) => {
      const { result } = await renderChart(args);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain(
        "values don't meet the specifications of the schema",
      );
      expect(result.stderr).toContain(field);
    });
  });

  describe('when rendered with the defaults', () => {
    it('runs two or more replicas spread over nodes, with a disruption budget', () => {
      const d = one('generate', 'Deployment');
      expect(d.spec.replicas).toBeGreaterThanOrEqual(2);
      const anti = d.spec.template.spec.affinity.podAntiAffinity;
      const term = anti.preferredDuringSchedulingIgnoredDuringExecution[0];
      expect(term.podAffinityTerm.topologyKey).toBe('kubernetes.io/hostname');
      expect(term.podAffinityTerm.labelSelector.matchLabels).toEqual(
        d.spec.selector.matchLabels,
      );
      const pdb = one('generate', 'PodDisruptionBudget');
      expect(pdb.spec).toEqual({ minAvailable: 1, selector: d.spec.selector });
    });

    it('runs restricted: non-root, read-only root, no escalation, RuntimeDefault, no capabilities', () => {
      const spec = one('generate', 'Deployment').spec.template.spec;
      expect(spec.securityContext).toMatchObject({
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      for (const c of spec.containers) {
        expect(c.securityContext).toMatchObject({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          runAsNonRoot: true,
          capabilities: { drop: ['ALL'] },
          seccompProfile: { type: 'RuntimeDefault' },
        });
      }
    });

    it('serves the webhook through the Service and reads config from the ConfigMap', () => {
      const d = one('generate', 'Deployment');
      const container = d.spec.template.spec.containers[0];
      expect(container.args).toEqual(
        expect.arrayContaining([
          'serve',
          '--cluster',
          '--config=/etc/modelgate/config.yaml',
        ]),
      );
      expect(container.readinessProbe.httpGet).toMatchObject({
        path: '/readyz',
        scheme: 'HTTPS',
      });
      const volumes = d.spec.template.spec.volumes;
      expect(volumes).toContainEqual(
        expect.objectContaining({
          configMap: { name: one('generate', 'ConfigMap').metadata.name },
        }),
      );
      expect(one('generate', 'Service').spec.selector).toEqual(
        d.spec.selector.matchLabels,
      );
    });

    it('configures the webhook as real clusters need it', () => {
      const [hook] = one('generate', 'ValidatingWebhookConfiguration').webhooks;
      expect(hook).toMatchObject({
        admissionReviewVersions: ['v1'],
        sideEffects: 'None',
        failurePolicy: 'Fail',
        timeoutSeconds: 10,
        clientConfig: {
          service: { name: 'modelgate', namespace: NS, path: '/validate' },
        },
      });
      expect(hook.namespaceSelector.matchExpressions).toEqual([
        {
          key: 'kubernetes.io/metadata.name',
          operator: 'NotIn',
          values: [NS, 'kube-system'],
        },
      ]);
    });

    it('sends every kind the core judges, with scale and ephemeral containers, and deletes of stored data', () => {
      const [hook] = one('generate', 'ValidatingWebhookConfiguration').webhooks;
      const covered = new Map<string, Set<string>>();
      for (const rule of hook.rules) {
        for (const r of rule.resources) {
          covered.set(
            r,
            new Set([...(covered.get(r) ?? []), ...rule.operations]),
          );
        }
      }
      const judged = [
        'pods',
        'pods/ephemeralcontainers',
        'deployments',
        'deployments/scale',
        'statefulsets',
        'statefulsets/scale',
        'replicasets',
        'replicasets/scale',
        'daemonsets',
        'jobs',
        'cronjobs',
        'services',
        'ingresses',
        'httproutes',
        'persistentvolumeclaims',
        'persistentvolumes',
        'storageclasses',
        ...defaultConfig().modelDetection.kinds.map(
          (k) => `${k.toLowerCase()}s`,
        ),
      ];
      for (const resource of judged) {
        expect([resource, [...(covered.get(resource) ?? [])]]).toEqual([
          resource,
          expect.arrayContaining(['CREATE', 'UPDATE']),
        ]);
      }
      for (const stored of ['persistentvolumeclaims', 'persistentvolumes']) {
        expect(covered.get(stored)).toContain('DELETE');
      }
    });

    it('grants read-only access to exactly the kinds the lookups watch', () => {
      const role = one('generate', 'ClusterRole');
      const granted = role.rules.flatMap((r: Json) =>
        r.resources.map((res: string) => `${r.apiGroups[0]}/${res}`),
      );
      const watched = WATCHED.map((w) => {
        const group = w.apiVersion.includes('/')
          ? w.apiVersion.split('/')[0]
          : '';
        return `${group}/${w.resource}`;
      });
      expect(granted.sort()).toEqual(watched.sort());
      for (const r of role.rules) expect(r.verbs).toEqual(['list', 'watch']);
      const binding = one('generate', 'ClusterRoleBinding');
      expect(binding.subjects).toEqual([
        { kind: 'ServiceAccount', name: 'modelgate', namespace: NS },
      ]);
    });

    it('ships a helm test hook', () => {
      const hooks = rendered.generate!.filter(
        (d) => d.metadata?.annotations?.['helm.sh/hook'] === 'test',
      );
      expect(hooks.map((h) => h.kind)).toEqual(['Pod']);
    });
  });

  describe('when the certificate comes from each TLS source', () => {
    it("generate: the caBundle is the CA that signed the Secret's certificate for the Service name", () => {
      const secret = one('generate', 'Secret');
      const [hook] = one('generate', 'ValidatingWebhookConfiguration').webhooks;
      expect(hook.clientConfig.caBundle).toBe(secret.data['ca.crt']);
      const caCert = new X509Certificate(
        Buffer.from(secret.data['ca.crt'], 'base64'),
      );
      const serving = new X509Certificate(
        Buffer.from(secret.data['tls.crt'], 'base64'),
      );
      expect(serving.verify(caCert.publicKey)).toBe(true);
      expect(serving.subjectAltName).toContain(`DNS:modelgate.${NS}.svc`);
      expect(tlsVolume('generate')).toBe(secret.metadata.name);
    });

    it('certManager: cert-manager injects the CA of the Certificate the pods mount', () => {
      const vwc = one('certManager', 'ValidatingWebhookConfiguration');
      const cert = one('certManager', 'Certificate');
      expect(vwc.metadata.annotations['cert-manager.io/inject-ca-from']).toBe(
        `${NS}/${cert.metadata.name}`,
      );
      expect(vwc.webhooks[0].clientConfig.caBundle).toBeUndefined();
      expect(cert.spec.dnsNames).toContain(`modelgate.${NS}.svc`);
      expect(tlsVolume('certManager')).toBe(cert.spec.secretName);
      expect(find('certManager', 'Secret')).toEqual([]);
    });

    it('secret: the caBundle is the given CA and the pods mount the existing Secret', () => {
      const [hook] = one('secret', 'ValidatingWebhookConfiguration').webhooks;
      expect(Buffer.from(hook.clientConfig.caBundle, 'base64').toString()).toBe(
        readFileSync(ca.certFile, 'utf8'),
      );
      expect(tlsVolume('secret')).toBe('mg-tls');
      expect(find('secret', 'Secret')).toEqual([]);
    });
  });

  function tlsVolume(mode: string): string {
    const volumes = one(mode, 'Deployment').spec.template.spec.volumes;
    return volumes.find((v: Json) => v.name === 'tls').secret.secretName;
  }

  describe('when a real API server checks the manifests (kubectl apply --dry-run=server)', () => {
    let cp: ControlPlane;
    beforeAll(async () => {
      cp = await startControlPlane();
      const setup = await cp.kubectl(
        ['apply', '-f', '-'],
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'List',
          items: [
            { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
            certManagerCrd('Certificate', 'certificates'),
            certManagerCrd('Issuer', 'issuers'),
          ],
        }),
      );
      if (setup.code !== 0) throw new Error(setup.stderr);
      // CRDs are served a moment after they are created.
      for (let i = 0; i < 120; i++) {
        if ((await cp.kubectl(['get', 'certificates', '-n', NS])).code === 0)
          break;
        await new Promise((r) => setTimeout(r, 250));
      }
    }, 300_000);
    afterAll(async () => {
      await cp?.stop();
    }, 60_000);

    it.each(Object.keys(modes))(
      'accepts every object rendered with tls.source %s',
      async (mode) => {
        const { result } = await renderChart(modes[mode]!());
        const r = await cp.kubectl(
          ['apply', '--dry-run=server', '-f', '-'],
          result.stdout,
        );
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        expect(r.stdout).toContain(
          'validatingwebhookconfiguration.admissionregistration.k8s.io/modelgate created (server dry run)',
        );
      },
    );

    it('installs with helm --dry-run=server and writes its notes', async () => {
      const r = await run(toolPath('helm'), [
        ...['install', 'modelgate', CHART, '--namespace', NS],
        ...['--dry-run=server', '--kubeconfig', cp.kubeconfig],
      ]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('STATUS: pending-install');
      expect(r.stdout).toContain(
        'failurePolicy is Fail: while no replica is ready',
      );
      expect(r.stdout).toContain(`helm test modelgate -n ${NS}`);
    });
  });
});

/** Just enough of cert-manager's CRDs for the API server to take the kinds. */
function certManagerCrd(kind: string, plural: string): Json {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.cert-manager.io` },
    spec: {
      group: 'cert-manager.io',
      scope: 'Namespaced',
      names: { kind, plural, singular: kind.toLowerCase() },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              'x-kubernetes-preserve-unknown-fields': true,
            },
          },
        },
      ],
    },
  };
}
