import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { defaultConfig } from '../../core/config';
import { createEngine, type Engine, type Verdict } from '../../core/engine';
import { tableVerifier } from '../support/facts';
import { readManifests } from '../support/manifests';
import { describeShared } from '../support/shared';
import { corpusExpectations, directoryExpectations } from './expected';

const [describeCorpus, corpusDir] = describeShared('corpus');

/** `Kind/name`, the decision and the sorted set of rule ids. */
export function summarize(v: Verdict): [string, string, string] {
  const rules = [...new Set(v.findings.map((f) => f.rule))].sort().join(' ');
  return [`${v.target.kind}/${v.target.name}`, v.decision, rules];
}

function sortedRules(rules: string): string {
  return rules.split(' ').filter(Boolean).sort().join(' ');
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
