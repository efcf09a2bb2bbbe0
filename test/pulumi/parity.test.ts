/**
 * Gate parity: every corpus object, as the Pulumi resource @pulumi/kubernetes
 * would register, gets from the policy pack the verdict the webhook gives
 * the same object (and that test/corpus/expected.ts records for both the
 * webhook and the CLI). The same config (the embedded default), and the same
 * signature facts (nothing signed) on both sides.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { defaultConfig } from '../../core/config';
import { createEngine } from '../../core/engine';
import type {
  Analyzer,
  TestResource,
} from '../../pulumi-policies/engine-client';
import { corpusExpectations, directoryExpectations } from '../corpus/expected';
import { tableVerifier } from '../support/facts';
import { readManifests } from '../support/manifests';
import { describeShared } from '../support/shared';
import {
  createReview,
  startTestWebhook,
  type TestWebhook,
} from '../support/webhook';
import { buildPack, startFactsPack } from './support/pack';
import { decisionOf, fromManifest, rulesOf } from './support/resources';

const [describeCorpus, corpusDir] = describeShared('corpus');

type Verdicts = Map<string, { decision: string; rules: string[] }>;

const key = (o: any) => `${o.kind}/${o.metadata?.name}`;
const sorted = (rules: string) => rules.split(' ').filter(Boolean).sort();

/** A preview: each resource on its own, in order, then the whole stack. */
async function packVerdicts(
  pack: Analyzer,
  stack: string,
  objects: readonly any[],
): Promise<Verdicts> {
  const resources: TestResource[] = [];
  const seen = new Set<string>();
  for (const o of objects) {
    const r = fromManifest(stack, o);
    if (!seen.has(r.urn)) resources.push(r);
    seen.add(r.urn);
  }
  const byUrn = new Map(resources.map((r) => [r.urn, [] as any[]]));
  for (const r of resources) {
    byUrn.get(r.urn)!.push(...(await pack.analyze(r)).diagnostics);
  }
  for (const d of (await pack.analyzeStack(resources)).diagnostics) {
    byUrn.get(d.urn)?.push(d);
  }
  const out: Verdicts = new Map();
  resources.forEach((r) => {
    const diagnostics = byUrn.get(r.urn)!;
    out.set(key(r.props), {
      decision: decisionOf(diagnostics),
      rules: rulesOf(diagnostics),
    });
  });
  return out;
}

describeCorpus(
  'gate parity: the policy pack and the webhook on the corpus',
  () => {
    let pack: Analyzer & { remove(): void };
    let webhook: TestWebhook;
    let cluster: unknown[] = [];
    const parsed = Object.entries(corpusExpectations).filter(
      (e): e is [string, Exclude<(typeof e)[1], 'parse-error'>] =>
        e[1] !== 'parse-error',
    );

    beforeAll(async () => {
      pack = await startFactsPack(buildPack(), []);
      const config = defaultConfig();
      const engine = await createEngine({
        config,
        verifier: tableVerifier([]),
      });
      webhook = await startTestWebhook({
        config,
        engine,
        lookup: { related: async () => cluster, synced: () => true },
      });
    }, 240_000);
    afterAll(async () => {
      await pack?.close();
      pack?.remove();
      await webhook?.close();
    });

    it('covers every corpus file', () => {
      const files = readdirSync(corpusDir).filter((f) => /\.ya?ml$/.test(f));
      expect(files.sort()).toEqual(Object.keys(corpusExpectations).sort());
    });

    it.each(parsed)('%s', async (file, rows) => {
      const objects = readManifests(join(corpusDir, file)) as any[];
      const fromPack = await packVerdicts(
        pack,
        file.replace(/\W/g, '-'),
        objects,
      );
      cluster = objects;
      for (const [i, object] of objects.entries()) {
        const [name, decision, rules] = rows[i]!;
        const res = await webhook.review(createReview(object, `${file}-${i}`));
        const got = fromPack.get(key(object))!;
        // The two gates agree with each other and with the recorded verdict.
        expect([name, got.decision !== 'deny']).toEqual([
          name,
          res.body.response.allowed,
        ]);
        expect([name, got.decision, got.rules]).toEqual([
          name,
          decision,
          sorted(rules),
        ]);
      }
    });

    it('reads across the whole corpus as one stack', async () => {
      const objects = parsed.flatMap(([file]) =>
        readManifests(join(corpusDir, file)),
      );
      const fromPack = await packVerdicts(pack, 'corpus', objects);
      for (const [object, decision, rules] of directoryExpectations) {
        const got = fromPack.get(object)!;
        expect([object, got.decision, got.rules]).toEqual([
          object,
          decision,
          sorted(rules),
        ]);
      }
    });
  },
);
