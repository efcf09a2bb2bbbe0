/**
 * The built pack verifying real cosign signatures in a real registry on
 * 127.0.0.1, with the verifier and cache the webhook uses: a signed model
 * passes with no violation at all, an unsigned one is refused, and a
 * registry that went away is a finding with its cause.
 */
import type { Analyzer } from '../../pulumi-policies/engine-client';
import {
  registryToolsMissing,
  startRegistry,
  type PushedImage,
  type TestRegistry,
} from '../support/oci-registry';
import { configureAll } from './support/configure';
import { buildPack, startBuiltPack } from './support/pack';
import { fromManifest, modelDeployment, rulesOf } from './support/resources';

const missing = registryToolsMissing();
if (missing) process.stderr.write(`skipping pack signatures: ${missing}\n`);
const describeRegistry = missing ? describe.skip : describe;

describeRegistry('the policy pack against a real registry', () => {
  let registry: TestRegistry;
  let pack: Analyzer;
  let signed: PushedImage;
  let unsigned: PushedImage;

  beforeAll(async () => {
    registry = await startRegistry();
    const key = await registry.generateKeyPair('release');
    signed = await registry.pushRandomImage('ml/llm', 'v1');
    unsigned = await registry.pushRandomImage('ml/other', 'v1');
    await registry.signImage(signed.refAtDigest, key);
    pack = await startBuiltPack(buildPack());
    await configureAll(pack, {
      trust: { keys: [{ name: 'release', publicKey: key.publicKeyPem }] },
      registries: [{ host: registry.host, insecure: true }],
    });
  }, 240_000);
  afterAll(async () => {
    await pack?.close();
    await registry?.stop();
  });

  it('passes a model whose image a trusted key signed', async () => {
    const r = fromManifest('sig1', modelDeployment(signed.refAtDigest));
    expect((await pack.analyze(r)).diagnostics).toEqual([]);
  });

  it('refuses a model whose image nobody signed', async () => {
    const r = fromManifest('sig2', modelDeployment(unsigned.refAtDigest));
    const { diagnostics } = await pack.analyze(r);
    expect(rulesOf(diagnostics)).toEqual(['MG-PROV-001']);
    expect(diagnostics[0]!.message).toContain('has no cosign signature');
  });

  it('reports a registry that stopped answering, with the cause', async () => {
    const image = signed.refAtDigest.replace('/ml/llm@', '/ml/gone@');
    await registry.stop();
    const { diagnostics } = await pack.analyze(
      fromManifest('sig3', modelDeployment(image)),
    );
    expect(rulesOf(diagnostics)).toEqual(['MG-PROV-003']);
    expect(diagnostics[0]!.level).toBe('mandatory');
    expect(diagnostics[0]!.message).toMatch(
      /could not be verified: .+\([A-Z_]+\)/,
    );
  });
});
