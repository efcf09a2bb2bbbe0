import { buildConfig } from '../../core/config';
import { createEngine } from '../../core/engine';
import type { Engine } from '../../core/engine/types';
import { staticLookup } from '../../core/facts/lookup';
import { LEVEL, sample, startGate, type Gate } from './harness';
import {
  NAMESPACE,
  configs,
  modelDeployment,
  noSignatureRules,
  review,
} from './fixtures';

/** A bound claim holding model data, on a class that keeps released volumes. */
const modelClaim = {
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: {
    name: 'weights',
    namespace: NAMESPACE,
    labels: {
      'modelgate.io/model-data': 'true',
      'modelgate.io/data-custodian': 'ml-platform',
    },
  },
  spec: { storageClassName: 'keep', volumeName: 'pvc-0001', resources: {} },
};
const retainingClass = {
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name: 'keep' },
  provisioner: 'example.com/disk',
  reclaimPolicy: 'Retain',
};

describe('admission operations', () => {
  let gate: Gate;
  let engine: Engine;

  beforeAll(async () => {
    const config = buildConfig({
      ...noSignatureRules,
      namespaces: { 'team-custodian': { dataCustodian: 'ml-platform' } },
    });
    engine = await createEngine({ config });
    gate = await startGate({
      config,
      engine,
      lookup: staticLookup([retainingClass]),
    });
  });
  afterAll(() => gate.close());

  const responseTo = (body: unknown) => gate.respond(body);

  describe('when an UPDATE drops the model label', () => {
    it('is still judged against the old object and denied', async () => {
      const oldObject = modelDeployment();
      const object = modelDeployment({ model: false });
      const response = await responseTo(
        review({ operation: 'UPDATE', object, oldObject }),
      );

      expect(response.allowed).toBe(false);
      expect(response.status?.message).toContain('[MG-DECOM-001]');
    });
  });

  describe('when an UPDATE writes a subresource', () => {
    it('applies no rule to a status write', async () => {
      const object = modelDeployment();
      const response = await responseTo(
        review({
          operation: 'UPDATE',
          subResource: 'status',
          object,
          oldObject: object,
        }),
      );

      expect(response.allowed).toBe(true);
    });
  });

  describe('when the object leaves its namespace to the request', () => {
    it.each([
      ['allows', 'team-custodian', true],
      ['denies', 'team-b', false],
    ])(
      '%s it in namespace %s by that namespace config',
      async (_, namespace, allowed) => {
        const object = modelDeployment({ compliant: true, namespace: null });
        delete object.spec.template.metadata.labels[
          'modelgate.io/data-custodian'
        ];
        const response = await responseTo(review({ object, namespace }));

        expect(response.allowed).toBe(allowed);
      },
    );
  });

  describe('when a DELETE arrives', () => {
    it('passes oldObject and denies tearing down a claim whose data outlives it', async () => {
      const response = await responseTo(
        review({ operation: 'DELETE', oldObject: modelClaim }),
      );

      expect(response.allowed).toBe(false);
      expect(response.status?.message).toContain(
        '[MG-WIPE-006] metadata: deleting claim weights would leave its model data behind (StorageClass keep has reclaimPolicy Retain)',
      );
    });

    it('applies only teardown rules, so a non-compliant workload may go', async () => {
      const response = await responseTo(
        review({ operation: 'DELETE', oldObject: modelDeployment() }),
      );

      expect(response).toMatchObject({ allowed: true });
      expect(response.warnings).toBeUndefined();
    });

    it('allows a delete without oldObject with a warning, logged at warn', async () => {
      const body = review({
        uid: 'delete-bare',
        operation: 'DELETE',
        kind: { group: 'apps', version: 'v1', kind: 'Deployment' },
        name: 'llm',
      });
      const response = await responseTo(body);

      expect(response.allowed).toBe(true);
      expect(response.warnings).toEqual([
        expect.stringMatching(
          /^modelgate: .*could not judge this delete \(INPUT_INVALID/,
        ),
      ]);
      expect(gate.logsOf('delete-bare')).toEqual([
        expect.objectContaining({
          level: LEVEL.warn,
          code: 'INPUT_INVALID',
          decision: 'allow',
        }),
      ]);
    });
  });

  describe('when a CONNECT arrives', () => {
    it('passes it to the engine, which has no rule for it, and allows', async () => {
      const object = {
        apiVersion: 'v1',
        kind: 'PodExecOptions',
        command: ['sh'],
      };
      const body = review({
        uid: 'connect-1',
        operation: 'CONNECT',
        subResource: 'exec',
        object,
        kind: { group: '', version: 'v1', kind: 'PodExecOptions' },
        name: 'llm-0',
      });
      const response = await responseTo(body);

      expect(response).toEqual({ uid: 'connect-1', allowed: true });
      expect(gate.logsOf('connect-1')[0]).toMatchObject({
        operation: 'CONNECT',
        decision: 'allow',
      });
    });
  });

  describe('when the request is a dry run', () => {
    it('answers exactly as for a real request', async () => {
      const object = modelDeployment();
      const real = await responseTo(review({ uid: 'same', object }));
      const dry = await responseTo(
        review({ uid: 'same', object, dryRun: true }),
      );

      expect(dry).toEqual(real);
    });

    it('logs and counts it apart from real requests', async () => {
      const object = modelDeployment({ name: 'dry' });
      const metricsBefore = (await gate.send('/metrics')).text;
      await gate.review(review({ uid: 'dry-1', object, dryRun: true }));
      const metricsAfter = (await gate.send('/metrics')).text;
      const labels = { operation: 'CREATE', decision: 'deny', dry_run: 'true' };
      const name = 'modelgate_admission_requests_total';

      expect(gate.logsOf('dry-1')).toEqual([
        expect.objectContaining({ dryRun: true, decision: 'deny' }),
      ]);
      expect(sample(metricsAfter, name, labels)).toBe(
        sample(metricsBefore, name, labels) + 1,
      );
      expect(
        sample(metricsAfter, 'modelgate_admission_decisions_total', {
          rule: 'MG-DECOM-001',
          verdict: 'deny',
          dry_run: 'true',
        }),
      ).toBeGreaterThan(0);
    });
  });
});

describe('admission operations under the default config', () => {
  describe('when a delete carries no oldObject under failurePolicy closed', () => {
    let gate: Gate;

    beforeAll(async () => {
      gate = await startGate({
        config: configs.strict,
        engine: await createEngine({ config: configs.strict }),
      });
    });
    afterAll(() => gate.close());

    it('is still allowed, because deletes are never refused for a fault', async () => {
      const body = review({
        operation: 'DELETE',
        kind: { group: 'apps', version: 'v1', kind: 'Deployment' },
        name: 'llm',
      });
      const response = await gate.respond(body);

      expect(response.allowed).toBe(true);
      expect(response.warnings).toHaveLength(1);
    });
  });
});
