/**
 * End to end: a real registry on 127.0.0.1 holding images that real cosign
 * signed, judged by the CLI and by the webhook with the real verifier.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../cli';
import { loadConfigFile } from '../../core/config';
import {
  registryToolsMissing,
  startRegistry,
  type PushedImage,
  type TestRegistry,
} from '../support/oci-registry';
import {
  createReview,
  startTestWebhook,
  type TestWebhook,
} from '../support/webhook';

const missing = registryToolsMissing();
if (missing) process.stderr.write(`skipping e2e: ${missing}\n`);
const describeE2e = missing ? describe.skip : describe;

function modelDeployment(image: string): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'llm', namespace: 'inference' },
    spec: {
      selector: { matchLabels: { app: 'llm' } },
      template: {
        metadata: {
          labels: {
            app: 'llm',
            'modelgate.io/model': 'true',
            'modelgate.io/data-custodian': 'ml-platform',
            'modelgate.io/decommission': 'wipe',
          },
          annotations: { 'modelgate.io/rate-limit': '50rps' },
        },
        spec: { containers: [{ name: 'server', image }] },
      },
    },
  };
}

/** A loopback port nothing listens on: a registry that is down. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

describeE2e('signed images in a real registry', () => {
  let registry: TestRegistry;
  let dir: string;
  let configFile: string;
  let webhook: TestWebhook;
  const images: Record<string, string> = {};

  beforeAll(async () => {
    registry = await startRegistry();
    const release = await registry.generateKeyPair('release');
    const rogue = await registry.generateKeyPair('rogue');
    const signed: PushedImage = await registry.pushRandomImage('ml/llm', 'v1');
    const unsigned = await registry.pushRandomImage('ml/unsigned', 'v1');
    const foreign = await registry.pushRandomImage('ml/foreign', 'v1');
    await registry.signImage(signed.refAtDigest, release);
    await registry.signImage(foreign.refAtDigest, rogue);
    const down = `127.0.0.1:${await deadPort()}`;

    Object.assign(images, {
      signed: signed.refAtDigest,
      unsigned: unsigned.refAtDigest,
      foreign: foreign.refAtDigest,
      tag: signed.ref,
      down: `${down}/ml/llm@${signed.digest}`,
      signedDigest: signed.digest,
    });

    dir = mkdtempSync(join(tmpdir(), 'modelgate-e2e-'));
    configFile = join(dir, 'modelgate.yaml');
    writeFileSync(join(dir, 'release.pub'), release.publicKeyPem);
    writeFileSync(
      configFile,
      [
        'trust:',
        '  keys: [{name: release, publicKeyFile: release.pub}]',
        'registries:',
        `  - {host: "${registry.host}", insecure: true}`,
        `  - {host: "${down}", insecure: true}`,
        'verification: {timeoutMs: 5000}',
      ].join('\n'),
    );
    webhook = await startTestWebhook({ config: loadConfigFile(configFile) });
  });

  afterAll(async () => {
    await webhook?.close();
    await registry?.stop();
  });

  async function check(image: string) {
    const file = join(dir, `${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(file, JSON.stringify(modelDeployment(image)));
    const out: string[] = [];
    const io = {
      stdin: process.stdin,
      stdout: { write: (s: string) => out.push(s) },
      stderr: { write: () => true },
    } as any;
    const code = await main(
      ['check', '--config', configFile, '--output', 'json', file],
      io,
    );
    const report = JSON.parse(out.join(''));
    return { code, object: report.objects[0] };
  }

  async function admit(image: string) {
    const res = await webhook.review(createReview(modelDeployment(image)));
    return res.body.response;
  }

  describe('when the image is pinned and signed by the trusted key', () => {
    it('is allowed by the CLI', async () => {
      const { code, object } = await check(images.signed!);
      expect(object.decision).toBe('allow');
      expect(object.findings).toEqual([]);
      expect(code).toBe(0);
    });

    it('is allowed by the webhook', async () => {
      const response = await admit(images.signed!);
      expect(response.allowed).toBe(true);
      expect(response.warnings).toBeUndefined();
    });
  });

  describe.each([
    ['unsigned', 'MG-PROV-001', 'has no cosign signature'],
    ['foreign', 'MG-PROV-001', 'is signed, but by no key'],
    ['tag', 'MG-PROV-002', 'is not pinned by digest'],
    ['down', 'MG-PROV-003', 'REGISTRY_UNREACHABLE'],
  ])('when the image is %s', (kind, rule, phrase) => {
    it(`is denied by the CLI with ${rule}`, async () => {
      const { code, object } = await check(images[kind]!);
      expect(code).toBe(1);
      expect(object.decision).toBe('deny');
      const finding = object.findings.find((f: any) => f.rule === rule);
      expect(finding.message).toContain(phrase);
    });

    it(`is denied by the webhook with ${rule}`, async () => {
      const response = await admit(images[kind]!);
      expect(response.allowed).toBe(false);
      expect(response.status.message).toContain(`[${rule}]`);
      expect(response.status.message).toContain(phrase);
    });
  });

  describe('when a signed image is referenced by tag', () => {
    it('names the digest the tag resolves to', async () => {
      const { object } = await check(images.tag!);
      const finding = object.findings.find(
        (f: any) => f.rule === 'MG-PROV-002',
      );
      expect(finding.message).toContain(`@${images.signedDigest}`);
      expect(object.findings.map((f: any) => f.rule)).not.toContain(
        'MG-PROV-001',
      );
    });
  });
});
