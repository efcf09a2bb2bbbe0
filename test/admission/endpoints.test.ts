import { buildConfig } from '../../core/config';
import { createEngine } from '../../core/engine';
import type { Engine } from '../../core/engine/types';
import type { ClusterLookup } from '../../core/facts/lookup';
import { sample, startGate, type Gate } from './harness';
import { configs, modelDeployment, review } from './fixtures';

describe('admission endpoints', () => {
  let engine: Engine;

  beforeAll(async () => {
    engine = await createEngine({ config: configs.clean });
  });

  describe('when probed for health and readiness', () => {
    let synced = false;
    const lookup: ClusterLookup = {
      related: async () => [],
      synced: () => synced,
    };
    let gate: Gate;

    beforeAll(async () => {
      gate = await startGate({ config: configs.clean, engine, lookup });
    });
    afterAll(() => gate.close());

    it('reports live on /healthz while the process runs', async () => {
      expect((await gate.send('/healthz')).status).toBe(200);
    });

    it('reports unready on /readyz until the cluster lookup has synced', async () => {
      synced = false;
      const before = await gate.send('/readyz');
      synced = true;
      const after = await gate.send('/readyz');

      expect(before.status).toBe(503);
      expect(before.json.waitingFor).toEqual(['cluster lookup']);
      expect(after.status).toBe(200);
    });
  });

  describe('when the policy cannot evaluate', () => {
    const broken: Engine = {
      catalog: {},
      judge: async () => {
        throw new Error('wasm trapped');
      },
      judgeAll: async () => [],
    };
    let gate: Gate;

    beforeAll(async () => {
      gate = await startGate({ config: configs.clean, engine: broken });
    });
    afterAll(() => gate.close());

    it('stays live but never reports ready', async () => {
      const ready = await gate.send('/readyz');

      expect((await gate.send('/healthz')).status).toBe(200);
      expect(ready.status).toBe(503);
      expect(ready.json.waitingFor).toEqual(['policy']);
    });

    it('denies reviews through decideOnFault and logs an error', async () => {
      const answer = await gate.review(
        review({ uid: 'broken', object: modelDeployment() }),
      );

      expect(answer.json.response?.allowed).toBe(false);
      expect(answer.json.response?.status?.message).toContain('wasm trapped');
      expect(gate.logsOf('broken')).toEqual([
        expect.objectContaining({ level: 50, code: 'INTERNAL' }),
      ]);
    });
  });

  describe('when metrics are scraped', () => {
    let gate: Gate;
    let text: string;

    beforeAll(async () => {
      const config = buildConfig({
        defaultMode: 'warn',
        rules: { 'MG-RATE': 'audit' },
        exemptions: [
          {
            name: 'pilot',
            justification: 'signing pipeline lands next quarter',
            approver: 'ciso',
            expires: '2099-12-31',
            rules: ['MG-PROV'],
            namespaces: ['team-a'],
          },
        ],
      });
      gate = await startGate({
        config,
        engine: await createEngine({ config }),
      });
      const exempted = modelDeployment();
      exempted.metadata.annotations = { 'modelgate.io/exemption': 'pilot' };
      await gate.review(review({ uid: 'exempted', object: exempted }));
      await gate.review(review({ object: modelDeployment({ model: false }) }));
      await gate.review(review({ operation: 'DELETE', object: null }));
      await gate.send('/validate', '{');
      text = (await gate.send('/metrics')).text;
    });
    afterAll(() => gate.close());

    it('serves Prometheus text from its own registry', async () => {
      const answer = await gate.send('/metrics');

      expect(answer.headers['content-type']).toMatch(/^text\/plain/);
      expect(text).not.toMatch(/^process_cpu/m);
    });

    it.each([
      ['MG-DECOM-001', 'warn', 1],
      ['MG-RATE-001', 'audit', 1],
      ['MG-PROV-003', 'allow', 1],
      ['none', 'allow', 2],
    ])('counts rule %s with verdict %s', (rule, verdict, count) => {
      const labels = { rule, verdict, dry_run: 'false' };

      expect(sample(text, 'modelgate_admission_decisions_total', labels)).toBe(
        count,
      );
    });

    it.each([
      ['CREATE', 'warn', 1],
      ['CREATE', 'allow', 1],
      ['DELETE', 'allow', 1],
    ])('counts %s requests decided %s', (operation, decision, count) => {
      const labels = { operation, decision, dry_run: 'false' };

      expect(sample(text, 'modelgate_admission_requests_total', labels)).toBe(
        count,
      );
    });

    it('times decisions in buckets from 0.5 ms to 10 s', () => {
      const name = 'modelgate_admission_duration_seconds';

      expect(
        sample(text, `${name}_bucket`, { le: '0.0005' }),
      ).toBeGreaterThanOrEqual(0);
      expect(text).toContain(`${name}_bucket{le="0.0005"}`);
      expect(sample(text, `${name}_bucket`, { le: '10' })).toBe(3);
      expect(sample(text, `${name}_count`)).toBe(3);
    });

    it('logs the exempted finding with the exemption that waived it', () => {
      expect(gate.logsOf('exempted')[0]?.exempted).toEqual([
        expect.objectContaining({ rule: 'MG-PROV-003', exemption: 'pilot' }),
      ]);
    });

    it('counts errors by code', () => {
      expect(
        sample(text, 'modelgate_admission_errors_total', {
          code: 'BODY_NOT_JSON',
        }),
      ).toBe(1);
      expect(
        sample(text, 'modelgate_admission_errors_total', {
          code: 'INPUT_INVALID',
        }),
      ).toBe(1);
    });
  });

  describe('when no engine is given', () => {
    let gate: Gate | undefined;

    afterAll(() => gate?.close());

    it('builds one from the bundled policy and the config', async () => {
      gate = await startGate({ config: configs.strict });
      const configMap = {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'settings', namespace: 'team-a' },
      };

      expect((await gate.send('/readyz')).status).toBe(200);
      expect(
        await gate.respond(review({ uid: 'cm', object: configMap })),
      ).toEqual({ uid: 'cm', allowed: true });
    });
  });

  describe('when a path is unknown', () => {
    let gate: Gate;

    beforeAll(async () => {
      gate = await startGate({ config: configs.clean, engine });
    });
    afterAll(() => gate.close());

    it('answers 404 in JSON', async () => {
      const answer = await gate.send('/mutate', '{}');

      expect(answer.status).toBe(404);
      expect(answer.json.error).toBe('NOT_FOUND');
    });
  });
});

describe('admission logs', () => {
  describe('when an object carries secrets', () => {
    let gate: Gate;

    beforeAll(async () => {
      const config = configs.strict;
      gate = await startGate({
        config,
        engine: await createEngine({ config }),
      });
    });
    afterAll(() => gate.close());

    it('writes one line per request and never the object or its values', async () => {
      const object = modelDeployment({
        env: [{ name: 'HF_TOKEN', value: 'hf_s3cr3t-value' }],
      });
      object.metadata.annotations = { 'registry-auth': 'Basic dXNlcjpwYXNz' };
      await gate.review(review({ uid: 'secret-1', object }));
      const written = JSON.stringify(gate.logs);

      expect(gate.logsOf('secret-1')).toHaveLength(1);
      expect(written).not.toContain('hf_s3cr3t-value');
      expect(written).not.toContain('dXNlcjpwYXNz');
      expect(written).not.toContain('HF_TOKEN');
    });
  });
});
