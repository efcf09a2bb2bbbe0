/**
 * End to end against a real kube-apiserver: the chart's webhook
 * configuration registered, `modelgate serve` reading the cluster, and
 * kubectl sending real creates, updates and deletes. Each verdict, denial
 * message and warning is asserted as the API server returns it.
 */
import { missingTools } from '../support/kube';
import {
  DENIED_BY,
  WEBHOOK_NAMESPACE,
  expectVerdict,
  must,
  startE2e,
  untilJudged,
  type E2e,
  type Expected,
  type Send,
} from '../support/kube-e2e';
import {
  BARE,
  COMPLIANT_LABELS,
  INFERENCE_SERVICE_CRD,
  MODEL_IMAGE,
  PLAIN_IMAGE,
  RATE,
  REGISTRY,
  claimVolume,
  cronJob,
  deployment,
  inferenceService,
  ingress,
  namespace,
  pod,
  MODEL_DATA,
  pv,
  pvc,
  service,
  storageClass,
} from '../support/kube-manifests';
import { buildDist, waitUntil, type Replica } from '../support/kube-webhook';

const missing = missingTools(['etcd', 'kube-apiserver', 'kubectl', 'helm']);
if (missing) console.warn(`skipping kube admission e2e: ${missing}`);
const suite = missing ? describe.skip : describe;
jest.setTimeout(240_000);

// Signatures have their own end-to-end suite against a real registry; here
// provenance is off so that every other family is seen on its own.
// ml-warn is lax by config; a Namespace label may only tighten a mode (as
// with Pod Security Admission), which the scale case below relies on.
const CONFIG = [
  'rules: { MG-PROV: off }',
  'namespaces: { ml-warn: { modes: { MG-RATE: warn, MG-DECOM: warn } } }',
  `registries: [{ host: '${REGISTRY}', insecure: true }]`,
].join('\n');
type Json = Record<string, any>;

interface Case extends Expected {
  readonly what: string;
  readonly object: () => Json;
}

suite('admission through a real kube-apiserver', () => {
  let e2e: E2e;
  let webhook: Replica;

  beforeAll(async () => {
    buildDist();
    e2e = await startE2e([namespace('ml'), namespace('ml-warn')]);
    await must(e2e.apply(INFERENCE_SERVICE_CRD));
    await waitUntil(
      async () => (await e2e.kubectl(['get', 'isvc', '-n', 'ml'])).code === 0,
      () => false,
      'the InferenceService CRD was never served',
    );
    webhook = await e2e.replica(CONFIG);
    await e2e.register(`https://127.0.0.1:${webhook.port}/validate`);
    await must(
      e2e.apply([
        deployment('ml', 'llm'),
        service('ml', 'llm', { app: 'llm' }),
        storageClass('keep', 'Retain'),
        storageClass('fast', 'Delete'),
        pvc('ml', 'weights-kept', { storageClassName: 'keep' }),
        pvc('ml', 'weights-fast', { storageClassName: 'fast' }),
      ]),
    );
    await untilSeen(
      () => e2e.apply(lbService('probe-lb'), true),
      'MG-RATE-004',
    );
  }, 600_000);

  afterAll(async () => {
    await e2e?.stop();
  }, 120_000);

  const lbService = (name: string) =>
    service('ml', name, { app: 'llm' }, 'LoadBalancer');

  const untilSeen = (send: Send, text: string) =>
    untilJudged(webhook, send, text);

  const created: Case[] = [
    {
      what: 'a model pod without any contract label',
      object: () => pod('ml', 'bare', { labels: BARE }),
      denied: ['MG-RATE-001', 'MG-DECOM-001', 'MG-DECOM-002'],
      message: 'modelgate denied Pod ml/bare (3 findings):',
    },
    {
      what: 'a model pod with every label',
      object: () =>
        pod('ml', 'ok', { labels: COMPLIANT_LABELS, annotations: RATE }),
      denied: [],
    },
    {
      what: 'a pod that is no model',
      object: () => pod('ml', 'web', { image: PLAIN_IMAGE }),
      denied: [],
    },
    {
      what: 'a model CronJob without decommissioning labels (batch: no rate limit needed)',
      object: () => cronJob('ml', 'nightly', BARE),
      denied: ['MG-DECOM-001', 'MG-DECOM-002'],
    },
    {
      what: 'an InferenceService without decommissioning labels',
      object: () => inferenceService('ml', 'isvc', {}),
      denied: ['MG-DECOM-001', 'MG-DECOM-002'],
    },
    {
      what: 'an Ingress onto the model Service without a limit',
      object: () => ingress('ml', 'open', 'llm'),
      denied: ['MG-RATE-003'],
      message: 'Ingress open routes to model backend llm',
    },
    {
      what: 'an Ingress onto the model Service with limit-rps',
      object: () =>
        ingress('ml', 'limited', 'llm', {
          'nginx.ingress.kubernetes.io/limit-rps': '10',
        }),
      denied: [],
    },
    {
      what: 'a LoadBalancer Service straight onto the model pods',
      object: () => lbService('llm-public'),
      denied: ['MG-RATE-004'],
    },
    {
      what: 'a model Deployment on a claim whose StorageClass retains',
      object: () =>
        deployment('ml', 'kept', {
          volumes: [claimVolume('weights', 'weights-kept')],
        }),
      denied: ['MG-WIPE-002'],
      message:
        'claim "weights-kept": StorageClass keep has reclaimPolicy Retain',
    },
    {
      what: 'a model Deployment on a claim that does not exist',
      object: () =>
        deployment('ml', 'unseen', {
          volumes: [claimVolume('weights', 'no-such-claim')],
        }),
      denied: [],
      warned: ['MG-WIPE-007'],
    },
    {
      what: 'a bare model pod in a namespace whose config warns',
      object: () => pod('ml-warn', 'bare', { labels: BARE }),
      denied: [],
      warned: ['MG-RATE-001', 'MG-DECOM-001', 'MG-DECOM-002'],
    },
    {
      what: 'a model-data PersistentVolume that retains',
      object: () =>
        pv('kept-pv', { reclaimPolicy: 'Retain', labels: MODEL_DATA }),
      denied: ['MG-WIPE-003'],
    },
  ];

  describe('when objects are created with kubectl apply', () => {
    it.each(created)('$what', async (c) => {
      const r = await e2e.apply(c.object());
      expectVerdict(r, c);
    });
  });

  const updated: Case[] = [
    {
      what: 'the model Deployment loses every contract label, model label included',
      object: () =>
        deployment('ml', 'llm', { labels: { team: 'a' }, annotations: {} }),
      denied: ['MG-RATE-001', 'MG-DECOM-001', 'MG-DECOM-002'],
      message: 'modelgate denied Deployment ml/llm',
    },
    {
      what: 'the model Deployment changes its image and keeps its labels',
      object: () =>
        deployment('ml', 'llm', { image: MODEL_IMAGE.replace('llm', 'llm2') }),
      denied: [],
    },
    {
      what: 'a pod that is no model gets a label',
      object: () =>
        pod('ml', 'web', { image: PLAIN_IMAGE, labels: { tier: 'front' } }),
      denied: [],
    },
  ];

  describe('when objects are updated with kubectl apply', () => {
    it.each(updated)('$what', async (c) => {
      expectVerdict(await e2e.apply(c.object()), c);
    });
  });

  describe('when a workload is scaled', () => {
    it('judges a scale-up as the workload, with the namespace mode the cluster holds now', async () => {
      const bare = deployment('ml-warn', 'grown', {
        labels: BARE,
        annotations: {},
      });
      expectVerdict(await e2e.apply(bare), {
        denied: [],
        warned: ['MG-RATE-001', 'MG-DECOM-001', 'MG-DECOM-002'],
      });
      await must(
        e2e.kubectl([
          'label',
          'namespace',
          'ml-warn',
          'modelgate.io/mode=enforce',
          '--overwrite',
        ]),
      );
      await untilSeen(
        () => e2e.apply(pod('ml-warn', 'probe', { labels: BARE }), true),
        DENIED_BY,
      );

      const up = await e2e.kubectl([
        'scale',
        'deployment/grown',
        '-n',
        'ml-warn',
        '--replicas=3',
      ]);
      expect(up.code).not.toBe(0);
      expect(up.stderr).toContain('modelgate denied Scale ml-warn/grown');
      expect(up.stderr).toContain('[MG-RATE-001]');
      const down = await e2e.kubectl([
        'scale',
        'deployment/grown',
        '-n',
        'ml-warn',
        '--replicas=0',
      ]);
      expect(down).toMatchObject({ code: 0 });
    });
  });

  describe('when the webhook is down (failurePolicy Fail)', () => {
    beforeAll(async () => {
      webhook.process.kill('SIGKILL');
      await new Promise((r) => webhook.process.once('exit', r));
    });

    it('refuses model workloads', async () => {
      const r = await e2e.apply(
        pod('ml', 'while-down', {
          labels: COMPLIANT_LABELS,
          annotations: RATE,
        }),
      );
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(
        'failed calling webhook "validate.modelgate.io"',
      );
    });

    it.each([WEBHOOK_NAMESPACE, 'kube-system'])(
      'still admits pods in excluded namespace %s',
      async (ns) => {
        const r = await e2e.apply(pod(ns, 'while-down', { labels: BARE }));
        expect(r).toMatchObject({ code: 0 });
      },
    );
  });
});
