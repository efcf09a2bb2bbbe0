import { buildConfig } from '../../core/config';
import { createEngine } from '../../core/engine';
import type { Engine, Verdict } from '../../core/engine/types';
import { LEVEL, startGate, type Gate } from './harness';
import { configs, modelDeployment, review } from './fixtures';

describe('admission verdicts', () => {
  describe('when the policy denies a model workload', () => {
    let gate: Gate;
    let engine: Engine;
    const object = modelDeployment();

    beforeAll(async () => {
      engine = await createEngine({ config: configs.strict });
      gate = await startGate({ config: configs.strict, engine });
    });
    afterAll(() => gate.close());

    it('answers an AdmissionReview v1 that echoes the uid', async () => {
      const answer = await gate.review(review({ uid: 'deny-1', object }));

      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toMatch(/^application\/json/);
      expect(answer.json).toMatchObject({
        apiVersion: 'admission.k8s.io/v1',
        kind: 'AdmissionReview',
        response: { uid: 'deny-1', allowed: false },
      });
    });

    it('answers 403 Forbidden naming the object and every acting finding', async () => {
      const verdict = await engine.judge({ operation: 'CREATE', object });
      const { status } = await gate.respond(review({ object }));

      expect(verdict.decision).toBe('deny');
      expect(status).toMatchObject({ code: 403, reason: 'Forbidden' });
      const [head, ...lines] = (status?.message ?? '').split('\n');
      expect(head).toContain('Deployment team-a/llm');
      expect(lines).toEqual(
        verdict.findings.map((f) => `[${f.rule}] ${f.path}: ${f.message}`),
      );
    });

    it('answers the same on POST /', async () => {
      const body = JSON.stringify(review({ uid: 'root-1', object }));
      const answer = await gate.send('/', body);

      expect(answer.json.response).toMatchObject({
        uid: 'root-1',
        allowed: false,
      });
    });

    it('logs the decision at info with the fixed fields', async () => {
      await gate.review(review({ uid: 'deny-log', object }));
      const [line, ...others] = gate.logsOf('deny-log');

      expect(others).toEqual([]);
      expect(line).toMatchObject({
        level: LEVEL.info,
        uid: 'deny-log',
        kind: 'Deployment',
        namespace: 'team-a',
        name: 'llm',
        operation: 'CREATE',
        decision: 'deny',
        dryRun: false,
        rules: expect.arrayContaining(['MG-DECOM-001', 'MG-RATE-001']),
      });
      expect(typeof line?.durationMs).toBe('number');
    });
  });

  describe('when the policy warns', () => {
    let gate: Gate;
    let engine: Engine;

    beforeAll(async () => {
      engine = await createEngine({ config: configs.warnOnly });
      gate = await startGate({ config: configs.warnOnly, engine });
    });
    afterAll(() => gate.close());

    it('allows with one warning per finding, prefixed with its rule id', async () => {
      const object = modelDeployment();
      const verdict = await engine.judge({ operation: 'CREATE', object });
      const response = await gate.respond(review({ object }));

      expect(verdict.decision).toBe('warn');
      expect(response.allowed).toBe(true);
      expect(response.status).toBeUndefined();
      expect(response.warnings).toEqual(
        verdict.findings.map((f) => `[${f.rule}] ${f.path}: ${f.message}`),
      );
    });

    it('keeps each warning on one line and under 250 characters', async () => {
      const object = modelDeployment({ name: `llm-${'x'.repeat(240)}` });
      const response = await gate.respond(review({ object }));

      expect(response.warnings?.length).toBeGreaterThan(0);
      for (const warning of response.warnings ?? []) {
        expect(warning).toMatch(/^\[MG-[A-Z]+-\d{3}\] /);
        expect(warning.length).toBeLessThanOrEqual(250);
        expect(warning).not.toMatch(/[\r\n]/);
      }
      expect(response.warnings?.some((w) => w.endsWith('…'))).toBe(true);
    });
  });

  describe('when a rule is in audit mode', () => {
    const config = buildConfig({
      rules: { 'MG-PROV': 'off', 'MG-RATE': 'audit' },
    });
    let gate: Gate;

    beforeAll(async () => {
      gate = await startGate({
        config,
        engine: await createEngine({ config }),
      });
    });
    afterAll(() => gate.close());

    it('allows without warnings and logs the audit finding only', async () => {
      const object = modelDeployment({ compliant: true });
      delete object.spec.template.metadata.annotations[
        'modelgate.io/rate-limit'
      ];
      const answer = await gate.review(review({ uid: 'audit-1', object }));

      expect(answer.json.response).toEqual({ uid: 'audit-1', allowed: true });
      expect(gate.logsOf('audit-1')).toEqual([
        expect.objectContaining({
          level: LEVEL.info,
          decision: 'allow',
          rules: [],
          audit: [expect.objectContaining({ rule: 'MG-RATE-001' })],
        }),
      ]);
    });
  });

  describe('when the object complies', () => {
    let gate: Gate;
    let verdictOf: (o: unknown) => Promise<Verdict>;

    beforeAll(async () => {
      const engine = await createEngine({ config: configs.clean });
      verdictOf = (object) => engine.judge({ operation: 'CREATE', object });
      gate = await startGate({ config: configs.clean, engine });
    });
    afterAll(() => gate.close());

    it.each([
      ['a compliant model workload', modelDeployment({ compliant: true })],
      ['a workload that is not a model', modelDeployment({ model: false })],
    ])('allows %s with no status and no warnings', async (_, object) => {
      const answer = await gate.review(review({ uid: 'ok', object }));

      expect((await verdictOf(object)).decision).toBe('allow');
      expect(answer.json.response).toEqual({ uid: 'ok', allowed: true });
    });
  });
});
