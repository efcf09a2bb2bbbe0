/**
 * The built pack, started as the Pulumi CLI starts it and driven through
 * the generated analyzer stubs, with properties encoded as the engine
 * encodes them (unknown sentinels, secret signatures). Images live on
 * 127.0.0.1 or under no trust authority, so no lookup leaves the machine.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Analyzer } from '../../pulumi-policies/engine-client';
import { FAMILIES } from '../../pulumi-policies/families';
import { closedHost } from '../registry/loopback';
import {
  ALL_POLICIES,
  RESOURCE_POLICIES,
  configureAll,
  publicKeyPem,
} from './support/configure';
import { buildPack, startBuiltPack } from './support/pack';
import {
  CONTRACT,
  DIGEST,
  cloud,
  decisionOf,
  fromManifest,
  modelDeployment,
  rulesOf,
} from './support/resources';

const ROOT = join(__dirname, '..', '..');

describe('the policy pack over the analyzer protocol', () => {
  let pack: Analyzer;
  let localImage: string;
  let document: Record<string, unknown>;

  beforeAll(async () => {
    pack = await startBuiltPack(buildPack());
    const registry = await closedHost();
    localImage = `${registry}/ml/llm@${DIGEST}`;
    document = {
      registries: [{ host: registry, insecure: true }],
      trust: {
        keys: [{ name: 'release', publicKey: publicKeyPem() }],
        authorities: [
          { name: 'local', images: ['127.0.0.1:*/**'], keys: ['release'] },
        ],
      },
      verification: { timeoutMs: 2000 },
    };
    await configureAll(pack, document);
  }, 240_000);
  afterAll(() => pack?.close());

  describe('when the engine asks what it is', () => {
    it('answers with its name and version from package.json', async () => {
      const pkg = JSON.parse(
        readFileSync(join(ROOT, 'pulumi-policies', 'package.json'), 'utf8'),
      );
      const info = await pack.analyzerInfo();
      expect([info.name, info.version]).toEqual([pkg.name, pkg.version]);
      expect(info.supportsconfig).toBe(true);
      expect((await pack.pluginInfo()).version).toMatch(/^v?1\.\d+\.\d+$/);
    });

    it('lists a resource and a stack policy per family, each documented', async () => {
      const info = await pack.analyzerInfo();
      expect(info.policiesList.map((p) => p.name).sort()).toEqual(
        [...ALL_POLICIES].sort(),
      );
      for (const p of info.policiesList) {
        const family = FAMILIES.find((f) => p.name.startsWith(f.name))!;
        expect(p.description).toContain('EN 304 223');
        expect(p.framework?.reference).toBe(family.provisions.join(', '));
        expect(p.enforcementlevel).toBe(1); // mandatory
        expect(p.policyType).toBe(p.name.endsWith('-stack') ? 2 : 1);
        const schema = p.configschema?.properties?.fieldsMap.map(([k]) => k);
        expect(schema).toEqual(
          expect.arrayContaining(['trust', 'rules', 'exemptions', 'preview']),
        );
      }
    });
  });

  describe('when a model Deployment breaks every family', () => {
    it('reports each finding as a mandatory violation of its family policy', async () => {
      const manifest = modelDeployment('quay.example/ml/llm:latest', {
        labels: { app: 'llm', 'modelgate.io/model': 'true' },
        annotations: {},
        volumes: [{ name: 'w', hostPath: { path: '/models' } }],
      });
      const { diagnostics } = await pack.analyze(fromManifest('p1', manifest));
      expect(decisionOf(diagnostics)).toBe('deny');
      expect(rulesOf(diagnostics)).toEqual([
        'MG-DECOM-001',
        'MG-DECOM-002',
        'MG-PROV-001',
        'MG-PROV-002',
        'MG-RATE-001',
        'MG-WIPE-001',
      ]);
      const wipe = diagnostics.find((d) => d.message.includes('MG-WIPE-001'))!;
      expect(wipe).toMatchObject({
        policy: 'modelgate-wipe',
        level: 'mandatory',
      });
      expect(wipe.message).toContain(
        '[MG-WIPE-001] spec.template.spec.volumes[0]: volume "w" mounts hostPath storage',
      );
    });

    it('says why a signature could not be verified, with the cause', async () => {
      const { diagnostics } = await pack.analyze(
        fromManifest('p2', modelDeployment(localImage)),
      );
      expect(rulesOf(diagnostics)).toEqual(['MG-PROV-003']);
      expect(diagnostics[0]).toMatchObject({
        policy: 'modelgate-provenance',
        level: 'mandatory',
      });
      expect(diagnostics[0]!.message).toMatch(
        /could not be verified: .*(refused|unreachable).*\(REGISTRY_UNREACHABLE\)/,
      );
    });
  });

  describe('when config sets modes and levels', () => {
    afterEach(() => configureAll(pack, document));

    it('reports a warn-mode finding as advisory under a mandatory policy', async () => {
      await configureAll(pack, { ...document, rules: { 'MG-RATE': 'warn' } });
      const manifest = modelDeployment(localImage, { annotations: {} });
      const { diagnostics } = await pack.analyze(fromManifest('p3', manifest));
      const rate = diagnostics.find((d) => d.policy === 'modelgate-rate-limit');
      expect(rate?.level).toBe('advisory');
    });

    it('lowers every finding of a policy configured advisory', async () => {
      await configureAll(pack, document, {
        'modelgate-provenance': 'advisory',
      });
      const { diagnostics } = await pack.analyze(
        fromManifest('p4', modelDeployment(localImage)),
      );
      expect(diagnostics.map((d) => d.level)).toEqual(['advisory']);
    });

    it('runs nothing for a disabled policy', async () => {
      await configureAll(pack, document, {
        'modelgate-provenance': 'disabled',
      });
      const { diagnostics } = await pack.analyze(
        fromManifest('p5', modelDeployment(localImage)),
      );
      expect(diagnostics).toEqual([]);
    });

    it('fails closed on a config it cannot read, once per resource', async () => {
      await configureAll(pack, { rules: { 'MG-NOPE': 'off' } });
      const { diagnostics } = await pack.analyze(
        fromManifest('p6', modelDeployment(localImage)),
      );
      expect(diagnostics).toHaveLength(1);
      expect(diagnostics[0]!.level).toBe('mandatory');
      expect(diagnostics[0]!.message).toContain('CONFIG_INVALID');
    });
  });

  describe('when values are unknown at preview', () => {
    it('defers what the unknown labels decide, as an advisory', async () => {
      const manifest = modelDeployment(localImage, {
        labels: { $unknown: true },
      });
      const { diagnostics } = await pack.analyze(fromManifest('u1', manifest));
      expect(diagnostics.every((d) => d.level === 'advisory')).toBe(true);
      expect(rulesOf(diagnostics)).toEqual(
        expect.arrayContaining(['MG-DECOM-002', 'MG-DECOM-003']),
      );
      expect(diagnostics.map((d) => d.message).join('\n')).toContain(
        'spec.template.metadata.labels is not known until apply, so whether llm is a model workload cannot be judged at preview; modelgate judges it again at pulumi up and at admission',
      );
    });

    it.each(['string', 'object', 'array', 'bool', 'number'])(
      "reads the engine's %s sentinel as unknown",
      async (kind) => {
        const image = { $unknown: kind === 'string' ? true : kind };
        const manifest = modelDeployment('x', {});
        (manifest.spec.template.spec.containers[0] as any).image = image;
        const { diagnostics } = await pack.analyze(
          fromManifest(`u2-${kind}`, manifest),
        );
        expect(diagnostics).toHaveLength(1);
        expect(diagnostics[0]).toMatchObject({ level: 'advisory' });
        expect(diagnostics[0]!.message).toContain(
          '[MG-PROV-003] spec.template.spec.containers[0].image: spec.template.spec.containers[0].image is not known until apply',
        );
      },
    );

    it('defers an unknown bucket setting of a model store', async () => {
      const bucket = cloud('u3', 'aws:s3/bucket:Bucket', 'weights', {
        bucket: 'weights',
        forceDestroy: { $unknown: 'bool' },
        tags: {
          'modelgate.io/model-data': 'true',
          'modelgate.io/data-custodian': 'ml-platform',
        },
      });
      const { diagnostics } = await pack.analyze(bucket);
      expect(rulesOf(diagnostics)).toEqual(['MG-WIPE-003']);
      expect(diagnostics[0]!.level).toBe('advisory');
      expect(diagnostics[0]!.message).toContain(
        'at preview: forceDestroy is not known until apply',
      );
    });
  });

  describe('when a label is a secret', () => {
    const secretLabels = (value: string) => ({
      app: 'llm',
      ...CONTRACT,
      'modelgate.io/decommission': { $secret: value },
    });

    it('does not read it when told to defer, and says so in an advisory', async () => {
      await configureAll(pack, { ...document, preview: { secrets: 'defer' } });
      try {
        const manifest = modelDeployment(localImage, {
          labels: secretLabels('wipe'),
        });
        const { diagnostics } = await pack.analyze(
          fromManifest('s1', manifest),
        );
        const decom = diagnostics.filter((d) => d.message.includes('MG-DECOM'));
        expect(decom).toHaveLength(1);
        expect(decom[0]!.level).toBe('advisory');
        expect(decom[0]!.message).toContain(
          'is a secret, which modelgate does not read',
        );
      } finally {
        await configureAll(pack, document);
      }
    });

    it('reads it by default, and never repeats its value', async () => {
      const manifest = modelDeployment(localImage, {
        labels: secretLabels('shred-it-hush'),
      });
      const { diagnostics } = await pack.analyze(fromManifest('s2', manifest));
      const decom = diagnostics.find((d) => d.message.includes('MG-DECOM-002'));
      expect(decom?.level).toBe('mandatory');
      expect(decom?.message).toContain('procedure "[secret]" is not one');
      expect(JSON.stringify(diagnostics)).not.toContain('shred-it-hush');
    });
  });

  describe('when a resource is a component', () => {
    it('records no verdict for a Helm chart, only that it does not apply', async () => {
      const chart = cloud('c1', 'kubernetes:helm.sh/v3:Chart', 'vllm', {});
      const { diagnostics, notApplicable } = await pack.analyze(chart);
      expect(diagnostics).toEqual([]);
      expect(notApplicable.map((n) => n.policy).sort()).toEqual(
        [...RESOURCE_POLICIES].sort(),
      );
    });
  });

  describe('when a type that can hold or serve a model is not covered', () => {
    it('says so in an advisory rather than passing it', async () => {
      const model = cloud(
        'c2',
        'aws:bedrock/customModel:CustomModel',
        'tuned',
        {},
      );
      const { diagnostics } = await pack.analyze(model);
      expect(rulesOf(diagnostics)).toEqual(['MG-DECOM-004']);
      expect(diagnostics[0]).toMatchObject({
        policy: 'modelgate-decommission',
        level: 'advisory',
      });
    });
  });

  it('writes nothing to stdout but its port', () => {
    expect(pack.stdout()).toBe(`${pack.port}\n`);
  });
});
