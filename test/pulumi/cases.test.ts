/**
 * The Pulumi cases of ../shared/cases (C14 unknown values at preview, C15
 * resources inside a Helm chart), through the analyzer protocol with the
 * shared fixture: images under registry.example.com/ml/ signed by the
 * release key, everything else unsigned.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  Analyzer,
  TestResource,
} from '../../pulumi-policies/engine-client';
import { describeShared } from '../support/shared';
import {
  RESOURCE_POLICIES,
  configureAll,
  publicKeyPem,
} from './support/configure';
import { buildPack, startFactsPack } from './support/pack';
import { decisionOf, rulesOf, urnOf } from './support/resources';

const [describeCases, casesDir] = describeShared('cases');

const ML_DIGEST = `sha256:${'1'.repeat(64)}`;

/** The shared fixture, as the config document a policy is given. */
const fixtureDocument = () => ({
  trust: {
    keys: [{ name: 'release', publicKey: publicKeyPem() }],
    authorities: [{ name: 'release', images: ['**'], keys: ['release'] }],
  },
  rules: { 'MG-PROV-002': 'warn' },
  namespaces: { inference: { dataCustodian: 'ml-platform' } },
});

function caseResource(stack: string, c: any): TestResource {
  return {
    type: c.type,
    name: c.name,
    urn: c.urn ?? urnOf(stack, c.type, c.name),
    props: c.props,
    parent: c.parent,
  };
}

describeCases('the Pulumi cases through the analyzer protocol', () => {
  let pack: Analyzer & { remove(): void };
  const json = (id: string) =>
    JSON.parse(readFileSync(join(casesDir, `${id}.json`), 'utf8'));

  beforeAll(async () => {
    pack = await startFactsPack(buildPack(), [
      {
        prefix: 'registry.example.com/ml/',
        fact: { signatures: 1, signers: ['release'], digest: ML_DIGEST },
      },
    ]);
    await configureAll(pack, fixtureDocument());
  }, 240_000);
  afterAll(async () => {
    await pack?.close();
    pack?.remove();
  });

  describe('C14: labels unknown at preview', () => {
    const withoutDecommission = (c: any) => {
      const copy = structuredClone(c);
      delete copy.props.spec.template.metadata.labels[
        'modelgate.io/decommission'
      ];
      return copy;
    };

    it('warns at preview, naming what could not be judged and when it will be', async () => {
      const { preview } = json('C14').input;
      const { diagnostics } = await pack.analyze(caseResource('c14', preview));
      expect(decisionOf(diagnostics)).toBe('warn');
      const text = diagnostics.map((d) => d.message).join('\n');
      expect(text).toContain(
        'spec.template.metadata.labels is not known until apply, so its decommissioning procedure cannot be judged at preview; modelgate judges it again at pulumi up and at admission',
      );
      expect(diagnostics.map((d) => d.policy)).toContain(
        'modelgate-decommission',
      );
    });

    it('stays a warning across the whole stack at preview', async () => {
      const { preview } = json('C14').input;
      const { diagnostics } = await pack.analyzeStack([
        caseResource('c14s', preview),
      ]);
      expect(diagnostics.every((d) => d.level === 'advisory')).toBe(true);
    });

    it('allows the update, where every label is known', async () => {
      const { update } = json('C14').input;
      const { diagnostics } = await pack.analyze(caseResource('c14u', update));
      expect(diagnostics).toEqual([]);
    });

    it('variant without decommission: warns at preview, denies at update', async () => {
      const { preview, update } = json('C14').input;
      const atPreview = await pack.analyze(caseResource('c14v', preview));
      expect(decisionOf(atPreview.diagnostics)).toBe('warn');
      const atUpdate = await pack.analyze(
        caseResource('c14v', withoutDecommission(update)),
      );
      expect(decisionOf(atUpdate.diagnostics)).toBe('deny');
      expect(rulesOf(atUpdate.diagnostics)).toEqual(['MG-DECOM-002']);
    });
  });

  describe('C15: a Deployment rendered by a Helm chart', () => {
    it('denies the child for its unsigned image and records nothing for the chart', async () => {
      const [chart, child] = json('C15').input.resources.map((r: any) =>
        caseResource('c15', r),
      );
      const onChart = await pack.analyze(chart);
      expect(onChart.diagnostics).toEqual([]);
      expect(onChart.notApplicable.map((n) => n.policy).sort()).toEqual(
        [...RESOURCE_POLICIES].sort(),
      );

      const onChild = await pack.analyze(child);
      const mandatory = onChild.diagnostics.filter(
        (d) => d.level === 'mandatory',
      );
      expect(mandatory).toHaveLength(1);
      expect(mandatory[0]!.message).toContain(
        '[MG-PROV-001] spec.template.spec.containers[0].image: image docker.io/example/vllm-openai:v0.6.3 has no cosign signature',
      );

      const stack = await pack.analyzeStack([chart, child]);
      expect(stack.diagnostics).toEqual([]);
    });
  });
});
