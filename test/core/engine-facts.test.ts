import { buildConfig } from '../../core/config';
import { createEngine, type Engine, type Verdict } from '../../core/engine';
import type { ImageFact, ImageVerifier } from '../../core/signature';

const IMAGE = `registry.example.com/ml/vllm@sha256:${'a'.repeat(64)}`;
const IMAGE_PATH = 'spec.template.spec.containers[0].image';

/** A model Deployment that every rule but provenance accepts. */
const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'llm', namespace: 'ml' },
  spec: {
    selector: { matchLabels: { app: 'llm' } },
    template: {
      metadata: {
        labels: {
          app: 'llm',
          'modelgate.io/model': 'true',
          'modelgate.io/decommission': 'wipe',
          'modelgate.io/data-custodian': 'ml',
        },
        annotations: { 'modelgate.io/rate-limit': '5rps' },
      },
      spec: { containers: [{ name: 'server', image: IMAGE }] },
    },
  },
};

/** A verifier that answers `answer` for every image, as custom ones may. */
function answering(answer: () => unknown): ImageVerifier {
  return { verify: async () => answer() as ImageFact };
}

async function judge(verifier: ImageVerifier): Promise<Verdict> {
  const engine: Engine = await createEngine({
    config: buildConfig({}),
    verifier,
  });
  return engine.judge({ operation: 'CREATE', object: deployment });
}

function provenanceFinding(verdict: Verdict) {
  return verdict.findings.find((f) => f.rule === 'MG-PROV-003');
}

describe('createEngine', () => {
  describe('when a custom verifier returns a malformed fact', () => {
    it.each([
      ['without signatures', { signers: [] }],
      ['with negative signatures', { signatures: -1, signers: [] }],
      ['with fractional signatures', { signatures: 0.5, signers: [] }],
      ['with non-string signers', { signatures: 1, signers: [7] }],
      ['without signers', { signatures: 0 }],
      [
        'with an error lacking a code',
        { signatures: 0, signers: [], error: { message: 'down' } },
      ],
      [
        'with an error lacking a message',
        { signatures: 0, signers: [], error: { code: 'X' } },
      ],
      ['with a null error', { signatures: 0, signers: [], error: null }],
      ['with a numeric digest', { signatures: 0, signers: [], digest: 5 }],
      ['that is null', null],
    ])('denies with MG-PROV-003 for a fact %s', async (_label, fact) => {
      const verdict = await judge(answering(() => fact));

      expect(verdict.decision).toBe('deny');
      expect(verdict.rules).toContain('MG-PROV-003');
      const finding = provenanceFinding(verdict);
      expect(finding?.path).toBe(IMAGE_PATH);
      expect(finding?.message).toContain('verifier returned a malformed fact');
      expect(finding?.message).toContain('REGISTRY_PROTOCOL');
    });
  });

  describe('when a custom verifier returns a well-formed fact', () => {
    it('judges an unsigned image by its fact (MG-PROV-001)', async () => {
      const verdict = await judge(
        answering(() => ({ ref: IMAGE, signatures: 0, signers: [] })),
      );

      expect(verdict.decision).toBe('deny');
      expect(verdict.rules).toEqual(['MG-PROV-001']);
    });

    it('keeps the verifier error of a failed lookup', async () => {
      const verdict = await judge(
        answering(() => ({
          ref: IMAGE,
          digest: IMAGE.split('@')[1],
          signatures: 0,
          signers: [],
          error: {
            code: 'REGISTRY_UNREACHABLE',
            message: 'connection refused',
          },
        })),
      );

      expect(verdict.rules).toEqual(['MG-PROV-003']);
      expect(provenanceFinding(verdict)?.message).toContain(
        'connection refused (REGISTRY_UNREACHABLE)',
      );
    });
  });

  describe('when a custom verifier throws a long message', () => {
    it('quotes at most 200 characters of it in the denial', async () => {
      const upstream = `upstream said ${'x'.repeat(5000)}`;
      const verdict = await judge(
        answering(() => {
          throw new Error(upstream);
        }),
      );

      const message = provenanceFinding(verdict)?.message ?? '';
      expect(message).toContain('upstream said xxx');
      expect(message).not.toContain('x'.repeat(200));
    });
  });
});
