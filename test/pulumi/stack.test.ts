/**
 * AnalyzeStack through the analyzer protocol: rules that read across the
 * stack, with references the engine left unknown at preview resolved
 * through Pulumi's dependency graph, never through names that look alike.
 */
import type {
  Analyzer,
  TestResource,
} from '../../pulumi-policies/engine-client';
import { configureAll } from './support/configure';
import { buildPack, startBuiltPack } from './support/pack';
import {
  CONTRACT,
  cloud,
  fromManifest,
  modelDeployment,
  rulesOf,
} from './support/resources';

/** Everything a preview sends: each resource, then the stack. */
async function preview(pack: Analyzer, resources: TestResource[]) {
  for (const r of resources) await pack.analyze(r);
  return pack.analyzeStack(resources);
}

function on(
  result: { diagnostics: { urn: string; message: string }[] },
  r: TestResource,
) {
  return rulesOf(result.diagnostics.filter((d) => d.urn === r.urn));
}

// Images under no trust authority: PROV is off here, so none is looked up.
const IMAGE = 'quay.example/ml/llm@sha256:' + '1'.repeat(64);

describe('stack analysis through the analyzer protocol', () => {
  let pack: Analyzer;

  beforeAll(async () => {
    pack = await startBuiltPack(buildPack());
    await configureAll(pack, { rules: { 'MG-PROV': 'off' } });
  }, 240_000);
  afterAll(() => pack?.close());

  describe('when an Ingress routes to a model Service without a limit', () => {
    it('reports MG-RATE-003 on the Ingress, and only what is new', async () => {
      const stack = 'rate';
      const model = fromManifest(stack, modelDeployment(IMAGE));
      const service = fromManifest(stack, {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'llm', namespace: 'inference' },
        spec: { selector: { app: 'llm' }, ports: [{ port: 80 }] },
      });
      const ingress = fromManifest(stack, {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: 'llm', namespace: 'inference' },
        spec: {
          defaultBackend: { service: { name: 'llm', port: { number: 80 } } },
        },
      });
      const result = await preview(pack, [model, service, ingress]);
      expect(result.diagnostics).toHaveLength(1);
      expect(result.diagnostics[0]).toMatchObject({
        policy: 'modelgate-rate-limit-stack',
        level: 'mandatory',
        urn: ingress.urn,
      });
      expect(on(result, ingress)).toEqual(['MG-RATE-003']);
    });
  });

  describe('when storage is named through outputs of other resources', () => {
    const stack = 'wipe';
    const sc = fromManifest(stack, {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'keep' },
      provisioner: 'ebs.csi.aws.com',
      reclaimPolicy: 'Retain',
    });
    const pvc = fromManifest(
      stack,
      {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: 'weights', namespace: 'inference' },
        spec: {
          storageClassName: { $unknown: true },
          accessModes: ['ReadWriteOnce'],
        },
      },
      { propertyDependencies: { spec: [sc.urn] }, dependencies: [sc.urn] },
    );
    const claim = {
      name: 'w',
      persistentVolumeClaim: { claimName: { $unknown: true } },
    };
    const model = fromManifest(
      stack,
      modelDeployment(IMAGE, { volumes: [claim] }),
      { propertyDependencies: { spec: [pvc.urn] }, dependencies: [pvc.urn] },
    );

    it('follows the dependency graph from the workload to the StorageClass', async () => {
      const result = await preview(pack, [sc, pvc, model]);
      expect(on(result, model)).toEqual(['MG-WIPE-002']);
      expect(on(result, sc)).toEqual(['MG-WIPE-004']);
      expect(on(result, pvc)).toEqual(['MG-DECOM-001']);
      const wipe = result.diagnostics.find((d) => d.urn === model.urn)!;
      expect(wipe.message).toContain(
        'volume "w" -> claim "weights": StorageClass keep has reclaimPolicy Retain',
      );
    });

    it('defers, not passes, the same volume when no stack view resolves it', async () => {
      const { diagnostics } = await pack.analyze(model);
      expect(rulesOf(diagnostics)).toEqual(['MG-WIPE-007']);
      expect(diagnostics[0]!.level).toBe('advisory');
    });
  });

  describe('when a cloud model depends on a bucket', () => {
    it('requires the bucket to be wiped on destroy and to name a custodian', async () => {
      const stack = 'cloud';
      const bucket = cloud(stack, 'aws:s3/bucket:Bucket', 'weights', {
        bucket: { $unknown: true },
      });
      const model = cloud(
        stack,
        'aws:sagemaker/model:Model',
        'llm',
        {
          primaryContainer: { image: IMAGE, modelDataUrl: { $unknown: true } },
          tags: CONTRACT,
        },
        { propertyDependencies: { primaryContainer: [bucket.urn] } },
      );
      const result = await preview(pack, [bucket, model]);
      expect(on(result, bucket)).toEqual(['MG-DECOM-001', 'MG-WIPE-003']);
      expect(
        result.diagnostics.find((d) => d.urn === bucket.urn)!.message,
      ).toContain(
        '[MG-DECOM-001] tags: weights holds model data but names no data custodian',
      );
    });
  });

  describe('when an API Gateway stage fronts a SageMaker endpoint', () => {
    const stack = 'api';
    const api = cloud(stack, 'aws:apigateway/restApi:RestApi', 'api', {});
    const endpoint = cloud(stack, 'aws:sagemaker/endpoint:Endpoint', 'llm', {
      tags: { ...CONTRACT, 'modelgate.io/rate-limit': '20rps' },
    });
    const integration = cloud(
      stack,
      'aws:apigateway/integration:Integration',
      'invoke',
      { restApi: { $unknown: true }, type: 'AWS', uri: { $unknown: true } },
      { propertyDependencies: { restApi: [api.urn], uri: [endpoint.urn] } },
    );
    const stage = cloud(
      stack,
      'aws:apigateway/stage:Stage',
      'prod',
      { restApi: { $unknown: true }, stageName: 'prod' },
      { propertyDependencies: { restApi: [api.urn] } },
    );
    const throttle = cloud(
      stack,
      'aws:apigateway/methodSettings:MethodSettings',
      'throttle',
      {
        restApi: { $unknown: true },
        stageName: { $unknown: true },
        methodPath: '*/*',
        settings: { throttlingRateLimit: 50, throttlingBurstLimit: 100 },
      },
      { propertyDependencies: { restApi: [api.urn], stageName: [stage.urn] } },
    );

    it('denies the stage without a throttle', async () => {
      const result = await preview(pack, [api, endpoint, integration, stage]);
      expect(on(result, stage)).toEqual(['MG-RATE-003']);
    });

    it('allows it with method settings that throttle every method', async () => {
      const result = await pack.analyzeStack([
        api,
        endpoint,
        integration,
        stage,
        throttle,
      ]);
      expect(result.diagnostics).toEqual([]);
    });
  });

  describe('when a rendered child was never analyzed on its own', () => {
    it('reports its findings at the stack, under its own URN', async () => {
      const stack = 'child';
      const chart = cloud(stack, 'kubernetes:helm.sh/v3:Chart', 'vllm', {});
      const child = fromManifest(
        stack,
        modelDeployment(IMAGE, {
          labels: { app: 'llm', 'modelgate.io/model': 'true' },
        }),
        { parent: chart.urn },
      );
      const result = await pack.analyzeStack([chart, child]);
      expect(on(result, child)).toEqual(['MG-DECOM-001', 'MG-DECOM-002']);
      expect(on(result, chart)).toEqual([]);
    });
  });
});
