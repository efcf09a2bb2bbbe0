import { createEngine } from '../../core/engine';
import type { Engine } from '../../core/engine/types';
import type { ClusterLookup } from '../../core/facts/lookup';
import { LEVEL, sample, startGate, type Gate } from './harness';
import { configs, modelDeployment, review } from './fixtures';

const MAX_BODY = 3 * 1024 * 1024;
const valid = () => review({ object: modelDeployment() });
const withRequest = (patch: Record<string, unknown>) => {
  const body = valid();
  Object.assign(body.request, patch);
  return JSON.stringify(body);
};
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
/** A review whose pod spec holds `depth` nested arrays (6 levels down). */
const deepReview = (depth: number) => {
  const object = modelDeployment();
  object.spec.template.spec.deep = '@';
  return JSON.stringify(review({ object })).replace('"@"', nested(depth));
};

describe('admission input handling', () => {
  let gate: Gate;
  let engine: Engine;

  beforeAll(async () => {
    engine = await createEngine({ config: configs.strict });
    gate = await startGate({ config: configs.strict, engine });
  });
  afterAll(() => gate.close());

  describe('when the body is not a review it can read', () => {
    it.each([
      ['invalid JSON', 'BODY_NOT_JSON', '{"apiVersion": '],
      ['a JSON array', 'REVIEW_INVALID', '[]'],
      [
        'the wrong apiVersion',
        'REVIEW_INVALID',
        JSON.stringify({ ...valid(), apiVersion: 'admission.k8s.io/v1beta1' }),
      ],
      [
        'the wrong kind',
        'REVIEW_INVALID',
        JSON.stringify({ ...valid(), kind: 'AdmissionRequest' }),
      ],
      [
        'no request',
        'REVIEW_INVALID',
        JSON.stringify({ ...valid(), request: undefined }),
      ],
      ['no uid', 'REVIEW_INVALID', withRequest({ uid: undefined })],
      ['an empty uid', 'REVIEW_INVALID', withRequest({ uid: '' })],
      [
        'an unknown operation',
        'REVIEW_INVALID',
        withRequest({ operation: 'PATCH' }),
      ],
      [
        'an object that is a string',
        'REVIEW_INVALID',
        withRequest({ object: 'kind: Deployment' }),
      ],
      [
        'an object that is an array',
        'REVIEW_INVALID',
        withRequest({ object: [] }),
      ],
      [
        'a null object on CREATE',
        'REVIEW_INVALID',
        withRequest({ object: null }),
      ],
      ['nesting past the limit', 'BODY_TOO_DEEP', deepReview(64)],
      ['a 100k-deep array', 'BODY_TOO_DEEP', nested(100_000)],
    ])('answers %s with 400 %s', async (_, code, body) => {
      const answer = await gate.send('/validate', body);

      expect(answer.status).toBe(400);
      expect(answer.json).toEqual({ error: code, message: expect.any(String) });
    });

    it('accepts nesting just inside the limit', async () => {
      const answer = await gate.send('/validate', deepReview(50));

      expect(answer.status).toBe(200);
      expect(answer.json.response?.allowed).toBe(false);
    });

    it('reads brackets inside strings as text, not as nesting', async () => {
      const object = modelDeployment();
      object.metadata.annotations = { note: '['.repeat(500) };
      const answer = await gate.review(review({ object }));

      expect(answer.status).toBe(200);
    });
  });

  describe('when the body is too large', () => {
    const huge = JSON.stringify({ pad: 'x'.repeat(MAX_BODY) });

    it.each([
      ['with a content-length', false],
      ['sent chunked', true],
    ])('answers 413 BODY_TOO_LARGE %s', async (_, chunked) => {
      const answer = await gate.send('/validate', huge, { chunked });

      expect(answer.status).toBe(413);
      expect(answer.json.error).toBe('BODY_TOO_LARGE');
    });
  });

  describe('when the media type is wrong', () => {
    it.each([
      ['text/plain', { 'content-type': 'text/plain' }],
      ['missing', { 'content-type': '' }],
      ['gzip-encoded', { 'content-encoding': 'gzip' }],
    ])('answers 415 when it is %s', async (_, headers) => {
      const answer = await gate.send('/validate', JSON.stringify(valid()), {
        headers,
      });

      expect(answer.status).toBe(415);
      expect(answer.json.error).toBe('MEDIA_TYPE_UNSUPPORTED');
    });

    it('accepts application/json with a charset', async () => {
      const answer = await gate.send('/validate', JSON.stringify(valid()), {
        headers: { 'content-type': 'application/json; charset=utf-8' },
      });

      expect(answer.status).toBe(200);
    });
  });

  describe('after refusing bad input', () => {
    it('keeps serving, counts each refusal by code and logs it at warn', async () => {
      await gate.send('/validate', nested(100_000));
      const health = await gate.send('/healthz');
      const metrics = (await gate.send('/metrics')).text;

      expect(health.status).toBe(200);
      expect(
        sample(metrics, 'modelgate_admission_errors_total', {
          code: 'BODY_TOO_DEEP',
        }),
      ).toBeGreaterThan(0);
      expect(gate.logs).toContainEqual(
        expect.objectContaining({ level: LEVEL.warn, code: 'BODY_TOO_DEEP' }),
      );
    });
  });

  describe('when the engine cannot judge the object', () => {
    const kindless = { metadata: { name: 'mystery', namespace: 'team-a' } };

    it('denies through decideOnFault under failurePolicy closed', async () => {
      const body = review({
        uid: 'fault-closed',
        object: kindless,
        kind: { group: 'apps', version: 'v1', kind: 'Deployment' },
      });
      const answer = await gate.review(body);

      expect(answer.status).toBe(200);
      expect(answer.json.response).toMatchObject({
        uid: 'fault-closed',
        allowed: false,
        status: { code: 403, reason: 'Forbidden' },
      });
      expect(answer.json.response?.status?.message).toMatch(
        /^modelgate denied Deployment team-a\/mystery: .*INPUT_INVALID.*failurePolicy is closed/,
      );
      expect(gate.logsOf('fault-closed')).toEqual([
        expect.objectContaining({ level: LEVEL.warn, decision: 'deny' }),
      ]);
    });

    it('allows with the reason as a warning under failurePolicy open', async () => {
      const open = await startGate({
        config: configs.open,
        engine: await createEngine({ config: configs.open }),
      });
      try {
        const answer = await open.review(review({ object: kindless }));

        expect(answer.json.response?.allowed).toBe(true);
        expect(answer.json.response?.warnings).toEqual([
          expect.stringMatching(/INPUT_INVALID.*failurePolicy is open/),
        ]);
      } finally {
        await open.close();
      }
    });
  });
});

describe('admission deadline', () => {
  describe('when judging outlasts requestTimeoutMs', () => {
    const hanging: ClusterLookup = {
      related: () => new Promise(() => undefined),
      synced: () => true,
    };
    let gate: Gate;

    beforeAll(async () => {
      gate = await startGate({
        config: configs.strict,
        engine: await createEngine({ config: configs.strict }),
        lookup: hanging,
        requestTimeoutMs: 300,
      });
    });
    afterAll(() => gate.close());

    it('answers in time through decideOnFault with the deadline as reason', async () => {
      const started = Date.now();
      const answer = await gate.review(
        review({ uid: 'slow', object: modelDeployment() }),
      );
      const elapsed = Date.now() - started;

      expect(elapsed).toBeGreaterThanOrEqual(250);
      expect(elapsed).toBeLessThan(2000);
      expect(answer.json.response?.allowed).toBe(false);
      expect(answer.json.response?.status?.message).toContain(
        'judging took longer than the',
      );
      expect(gate.logsOf('slow')).toEqual([
        expect.objectContaining({
          level: LEVEL.error,
          code: 'DEADLINE_EXCEEDED',
          decision: 'deny',
        }),
      ]);
    });

    it('counts the timeout by its code', async () => {
      const metrics = (await gate.send('/metrics')).text;

      expect(
        sample(metrics, 'modelgate_admission_errors_total', {
          code: 'DEADLINE_EXCEEDED',
        }),
      ).toBe(1);
    });
  });
});
