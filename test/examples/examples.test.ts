import { join } from 'node:path';
import { defaultConfig, loadConfigFile } from '../../core/config';
import { createEngine, type Verdict } from '../../core/engine';
import { tableVerifier } from '../support/facts';
import { readManifests } from '../support/manifests';

const examples = join(__dirname, '..', '..', 'examples');
const manifests = (name: string) =>
  readManifests(join(examples, 'manifests', name));

async function judge(config = defaultConfig(), name: string) {
  const engine = await createEngine({ config, verifier: tableVerifier([]) });
  const verdicts = (await engine.judgeAll(manifests(name))) as Verdict[];
  return Object.fromEntries(
    verdicts.map((v) => [
      `${v.target.kind}/${v.target.name}`,
      [v.decision, [...new Set(v.findings.map((f) => f.rule))].sort()],
    ]),
  );
}

describe('bundled examples', () => {
  describe('when judged with the embedded defaults', () => {
    it('denies the compliant server only for its unsigned image', async () => {
      expect(await judge(defaultConfig(), 'llm-server.yaml')).toEqual({
        'Deployment/llm-server': ['deny', ['MG-EXEMPT-001', 'MG-PROV-001']],
        'PersistentVolumeClaim/llm-weights': ['allow', []],
        'StorageClass/model-weights': ['allow', []],
        'Service/llm-server': ['allow', []],
        'Ingress/llm-server': ['allow', []],
      });
    });

    it('denies every part of the shadow-AI server', async () => {
      expect(await judge(defaultConfig(), 'shadow-ai.yaml')).toEqual({
        'Deployment/ollama': [
          'deny',
          [
            'MG-DECOM-001',
            'MG-DECOM-002',
            'MG-PROV-001',
            'MG-PROV-002',
            'MG-RATE-001',
            'MG-WIPE-001',
          ],
        ],
        'Service/ollama': ['deny', ['MG-RATE-004']],
      });
    });
  });

  describe('when judged with examples/modelgate.yaml', () => {
    it('allows the server under its approved exemption', async () => {
      const config = loadConfigFile(join(examples, 'modelgate.yaml'));
      const verdicts = await judge(config, 'llm-server.yaml');
      expect(verdicts['Deployment/llm-server']).toEqual([
        'allow',
        ['MG-PROV-001'],
      ]);
    });
  });
});
