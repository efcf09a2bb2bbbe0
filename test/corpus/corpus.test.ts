import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { defaultConfig } from '../../core/config';
import { createEngine, type Engine, type Verdict } from '../../core/engine';
import { tableVerifier } from '../support/facts';
import { readManifests } from '../support/manifests';
import { describeShared } from '../support/shared';
import { main } from '../../cli';
import {
  startTestWebhook,
  createReview,
  type TestWebhook,
} from '../support/webhook';
import { corpusExpectations, directoryExpectations } from './expected';

const [describeCorpus, corpusDir] = describeShared('corpus');

/** `Kind/name`, the decision and the sorted set of rule ids. */
export function summarize(v: Verdict): [string, string, string] {
  const rules = [...new Set(v.findings.map((f) => f.rule))].sort().join(' ');
  return [`${v.target.kind}/${v.target.name}`, v.decision, rules];
}

function sortedRules(rules: string): string {
  return [...new Set(rules.split(' ').filter(Boolean))].sort().join(' ');
}

describeCorpus('corpus of public model-serving manifests', () => {
  let engine: Engine;
  const files = () =>
    readdirSync(corpusDir)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort();

  beforeAll(async () => {
    engine = await createEngine({
      config: defaultConfig(),
      verifier: tableVerifier([]),
    });
  });

  it('has an expectation for every file', () => {
    expect(files()).toEqual(Object.keys(corpusExpectations).sort());
  });

  describe('when each file is judged on its own', () => {
    it.each(Object.entries(corpusExpectations))('%s', async (file, rows) => {
      const path = join(corpusDir, file);
      if (rows === 'parse-error') {
        expect(() => readManifests(path)).toThrow();
        return;
      }
      const verdicts = await engine.judgeAll(readManifests(path));
      const got = verdicts.map((v) => {
        if (v instanceof Error) throw v;
        return summarize(v);
      });
      const want = rows.map(([o, d, r]) => [o, d, sortedRules(r)]);
      expect(got).toEqual(want);
    });
  });

  describe('when each file goes through modelgate check --offline', () => {
    // Offline, no signature is looked up: MG-PROV-003 stands where the
    // engine with facts reports MG-PROV-001; every decision is the same.
    const offline = (rules: string) =>
      sortedRules(rules.replace('MG-PROV-001', 'MG-PROV-003'));

    it.each(Object.entries(corpusExpectations))('%s', async (file, rows) => {
      const out: string[] = [];
      const err: string[] = [];
      const io = {
        stdin: process.stdin,
        stdout: { write: (s: string) => out.push(s) },
        stderr: { write: (s: string) => err.push(s) },
      } as any;
      const code = await main(
        ['check', '--offline', '--output', 'json', join(corpusDir, file)],
        io,
      );
      const report = JSON.parse(out.join(''));
      if (rows === 'parse-error') {
        expect(code).toBe(1);
        expect(report.errors[0]).toMatchObject({
          code: 'INPUT_INVALID',
          document: 1,
          line: 27,
          column: 40,
        });
        return;
      }
      const got = report.objects.map((o: any) => [
        `${o.target.kind}/${o.target.name}`,
        o.decision,
        sortedRules(o.findings.map((f: any) => f.rule).join(' ')),
      ]);
      expect(got).toEqual(rows.map(([o, d, r]) => [o, d, offline(r)]));
      expect(code).toBe(rows.some(([, d]) => d === 'deny') ? 1 : 0);
    });
  });

  describe('when each object goes through the webhook', () => {
    let webhook: TestWebhook;
    let cluster: unknown[] = [];

    beforeAll(async () => {
      webhook = await startTestWebhook({
        config: defaultConfig(),
        engine,
        lookup: { related: async () => cluster, synced: () => true },
      });
    });
    afterAll(() => webhook.close());

    // The rest of the file stands for what the cluster already holds.
    it.each(Object.entries(corpusExpectations))('%s', async (file, rows) => {
      if (rows === 'parse-error') return;
      cluster = readManifests(join(corpusDir, file));
      for (const [i, object] of cluster.entries()) {
        const res = await webhook.review(createReview(object, `${file}-${i}`));
        const [name, decision, rules] = rows[i]!;
        expect([name, res.body.response.allowed]).toEqual([
          name,
          decision !== 'deny',
        ]);
        const message = res.body.response.status?.message ?? '';
        for (const rule of rules.split(' ').filter(Boolean)) {
          if (rule === 'MG-WIPE-007') continue; // a warning, not in the denial
          expect(message).toContain(`[${rule}]`);
        }
      }
    });
  });

  describe('when the whole corpus is judged together', () => {
    it('reads across files: a LoadBalancer onto Triton pods is denied', async () => {
      const objects = files()
        .filter((f) => corpusExpectations[f] !== 'parse-error')
        .flatMap((f) => readManifests(join(corpusDir, f)));
      const verdicts = (await engine.judgeAll(objects)) as Verdict[];
      for (const [object, decision, rules] of directoryExpectations) {
        const v = verdicts.map(summarize).find(([o]) => o === object);
        expect(v).toEqual([object, decision, sortedRules(rules)]);
      }
    });
  });
});
