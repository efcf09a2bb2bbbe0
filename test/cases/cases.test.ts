import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEngine, type Engine, type Verdict } from '../../core/engine';
import { readManifests } from '../support/manifests';
import { describeShared } from '../support/shared';
import {
  createReview,
  startTestWebhook,
  type TestWebhook,
} from '../support/webhook';
import { OLLAMA_DIGEST, fixtureConfig, fixtureVerifier } from './fixture';

const [describeCases, casesDir] = describeShared('cases');

const json = (id: string) =>
  JSON.parse(readFileSync(join(casesDir, `${id}.json`), 'utf8'));
const yaml = (id: string) =>
  readManifests(join(casesDir, `${id}.yaml`)) as any[];

describeCases('cases from faults similar tools shipped', () => {
  let engine: Engine;
  let webhook: TestWebhook;
  let lookupObjects: unknown[] = [];

  beforeAll(async () => {
    engine = await createEngine({
      config: fixtureConfig,
      verifier: fixtureVerifier,
    });
    webhook = await startTestWebhook({
      config: fixtureConfig,
      engine,
      lookup: { related: async () => lookupObjects, synced: () => true },
    });
  });
  afterAll(() => webhook.close());
  beforeEach(() => {
    lookupObjects = [];
  });

  const reviewOf = async (input: any) => {
    const res = await webhook.review(input);
    expect(res.status).toBe(200);
    expect(res.body.apiVersion).toBe('admission.k8s.io/v1');
    expect(res.body.kind).toBe('AdmissionReview');
    expect(res.body.response.uid).toBe(input.request.uid);
    return res.body.response;
  };

  describe('C01: a debug container added through pods/ephemeralcontainers', () => {
    it('is denied, naming the ephemeral image only', async () => {
      const response = await reviewOf(json('C01').input);
      expect(response.allowed).toBe(false);
      expect(response.status.message).toContain(
        'spec.ephemeralContainers[0].image',
      );
      expect(response.status.message).not.toContain('spec.containers[0]');
    });
  });

  describe('C02: an unsigned init container', () => {
    it('is denied at spec.initContainers[0].image', async () => {
      const [pod] = yaml('C02');
      const response = await reviewOf(createReview(pod, 'c02'));
      expect(response.allowed).toBe(false);
      expect(response.status.message).toContain(
        '[MG-PROV-001] spec.initContainers[0].image',
      );
    });
  });

  describe('C03: pod templates inside ReplicaSet and CronJob', () => {
    it('denies the ReplicaSet for its image and its hostPath volume', async () => {
      const [rs] = yaml('C03');
      const response = await reviewOf(createReview(rs, 'c03a'));
      expect(response.allowed).toBe(false);
      expect(response.status.message).toContain(
        '[MG-PROV-001] spec.template.spec.containers[0].image',
      );
      expect(response.status.message).toContain(
        '[MG-WIPE-001] spec.template.spec.volumes[0]',
      );
    });

    it('denies the CronJob at its nested job template', async () => {
      const [, cron] = yaml('C03');
      const response = await reviewOf(createReview(cron, 'c03b'));
      expect(response.allowed).toBe(false);
      expect(response.status.message).toContain(
        '[MG-PROV-001] spec.jobTemplate.spec.template.spec.containers[0].image',
      );
    });
  });

  describe('C05: Docker Hub short names', () => {
    it('allows all three spellings under the scoped trust rule', async () => {
      const verdicts = (await engine.judgeAll(yaml('C05'))) as Verdict[];
      for (const v of verdicts) {
        expect(v.decision).toBe('warn');
        expect(v.findings.map((f) => f.rule)).toEqual(['MG-PROV-002']);
        expect(v.findings[0]?.message).toContain(
          `docker.io/ollama/ollama:latest is not pinned by digest; refer to it as docker.io/ollama/ollama@${OLLAMA_DIGEST}`,
        );
      }
    });

    it('answers each through the webhook with allowed and the same reference', async () => {
      for (const [i, pod] of yaml('C05').entries()) {
        const response = await reviewOf(createReview(pod, `c05-${i}`));
        expect(response.allowed).toBe(true);
        expect(response.warnings.join(' ')).toContain(
          'docker.io/ollama/ollama:latest',
        );
      }
    });
  });

  describe('C06: DELETE with a null object', () => {
    it('is allowed, reading oldObject for the audit record', async () => {
      const input = json('C06').input;
      const response = await reviewOf(input);
      expect(response.allowed).toBe(true);
      const record = webhook.logs.find((l) => l.uid === input.request.uid);
      expect(record).toMatchObject({
        name: 'legacy-llm',
        namespace: 'inference',
        decision: 'allow',
      });
      expect(
        webhook.logs.filter(
          (l) => l.uid === input.request.uid && (l.level as number) >= 50,
        ),
      ).toEqual([]);
    });
  });

  describe('C07: an UPDATE that drops the selector label', () => {
    it('stays in scope and is denied', async () => {
      const response = await reviewOf(json('C07').input);
      expect(response.allowed).toBe(false);
      expect(response.status.message).toContain(
        'quay.example.org/someone/llm-server:patched',
      );
      expect(response.status.message).toContain('modelgate.io/decommission');
    });
  });

  describe('C09: scaling up through the scale subresource', () => {
    it('judges the Deployment behind the Scale and denies', async () => {
      const c = json('C09');
      lookupObjects = c.cluster_state;
      const response = await reviewOf(c.input);
      expect(response.allowed).toBe(false);
      expect(response.status.message).toContain(
        'quay.example.org/someone/llm-server:staged',
      );
    });

    it('denies when the scaled workload cannot be resolved', async () => {
      const response = await reviewOf(json('C09').input);
      expect(response.allowed).toBe(false);
      expect(response.status.message).toContain('MG-PROV-005');
    });

    it('allows scaling down', async () => {
      const c = json('C09');
      lookupObjects = c.cluster_state;
      const down = structuredClone(c.input);
      down.request.object.spec.replicas = 0;
      down.request.oldObject.spec.replicas = 2;
      expect((await reviewOf(down)).allowed).toBe(true);
    });
  });

  describe('C11: the signature lookup hangs', () => {
    it('is denied by modelgate itself with a timeout reason', async () => {
      const [pod] = yaml('C11');
      const response = await reviewOf(createReview(pod, 'c11'));
      expect(response.allowed).toBe(false);
      expect(response.status.message).toContain('[MG-PROV-003]');
      expect(response.status.message).toContain(
        `verification timed out after ${fixtureConfig.verification.timeoutMs} ms`,
      );
      expect(fixtureConfig.verification.timeoutMs).toBeLessThan(10_000);
    });
  });

  describe('C13: hostPath storage reached through PVC and PV', () => {
    it('denies the pod, naming volume, claim and PV', async () => {
      const [pv, pvc, pod] = yaml('C13');
      lookupObjects = [pv, pvc];
      const response = await reviewOf(createReview(pod, 'c13'));
      expect(response.allowed).toBe(false);
      expect(response.status.message).toContain(
        'volume "weights" -> claim "llm-weights": PV node-models has reclaimPolicy Retain',
      );
    });

    it('denies the PV submitted fresh, for Retain and for hostPath', async () => {
      const [pv] = yaml('C13');
      const v = await engine.judge({ operation: 'CREATE', object: pv });
      expect(v.decision).toBe('deny');
      expect(v.rules).toEqual(
        expect.arrayContaining(['MG-WIPE-003', 'MG-WIPE-005']),
      );
    });

    it('allows the PVC submitted alone', async () => {
      const [, pvc] = yaml('C13');
      const v = await engine.judge({ operation: 'CREATE', object: pvc });
      expect(v.decision).toBe('allow');
    });
  });

  // C14 and C15 are Pulumi cases; they belong to the policy pack's suite.
});
