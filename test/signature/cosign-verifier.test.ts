import {
  constants,
  generateKeyPairSync,
  sign,
  type KeyObject,
} from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseImageRef } from '../../core/image-ref';
import {
  createCosignVerifier,
  signatureTag,
  type CosignVerifierOptions,
  type TrustedKey,
} from '../../core/signature';
import {
  registryToolsMissing,
  simpleSigningPayload,
  startRegistry,
  type KeyPair,
  type TestRegistry,
} from '../support/oci-registry';
import { startCountingProxy } from '../registry/loopback';

const missing = registryToolsMissing();
const withRegistry = missing ? describe.skip : describe;
const skipped = missing ? ` (skipped: ${missing})` : '';
const parse = parseImageRef;

function trusted(pair: KeyPair): TrustedKey {
  return { name: pair.name, publicKeyPem: pair.publicKeyPem };
}

function pkcs8(type: 'ed25519' | 'rsa' | 'ec', options: object = {}) {
  const generate = generateKeyPairSync as (
    t: string,
    o: object,
  ) => { publicKey: KeyObject; privateKey: KeyObject };
  const { publicKey, privateKey } = generate(type, options);
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' });
  return {
    privateKey,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }),
    publicKeyPem: publicKeyPem.toString(),
  };
}

describe('createCosignVerifier', () => {
  withRegistry(`against docker-registry and cosign${skipped}`, () => {
    let registry: TestRegistry;
    let release: KeyPair;
    let stranger: KeyPair;
    const verifier = (
      keys: TrustedKey[],
      more?: Partial<CosignVerifierOptions>,
    ) =>
      createCosignVerifier({
        keys,
        registries: [{ host: registry.host, insecure: true }],
        ...more,
      });
    const signedImage = async (repository: string, pair: KeyPair) => {
      const image = await registry.pushRandomImage(repository, 'v1');
      await registry.signImage(image.refAtDigest, pair);
      return image;
    };

    beforeAll(async () => {
      registry = await startRegistry();
      release = await registry.generateKeyPair('release');
      stranger = await registry.generateKeyPair('stranger');
    });
    afterAll(() => registry?.stop());

    describe('when cosign signed the digest with a trusted key', () => {
      it.each([
        ['ECDSA P-256 (generate-key-pair)', undefined],
        ['Ed25519 (cosign signs Ed25519ph)', () => pkcs8('ed25519')],
        ['RSA 2048 (PKCS#1 v1.5)', () => pkcs8('rsa', { modulusLength: 2048 })],
        ['ECDSA P-384 (SHA-384)', () => pkcs8('ec', { namedCurve: 'P-384' })],
      ])('verifies %s', async (label, make) => {
        const name = label.split(' ')[0] ?? 'key';
        const pair = make
          ? await registry.importKeyPair(name, make().privateKeyPem.toString())
          : release;
        const image = await signedImage(`signed/${name.toLowerCase()}`, pair);
        const fact = await verifier([trusted(pair)]).verify(
          parse(image.refAtDigest),
        );
        expect(fact).toEqual({
          ref: image.refAtDigest,
          digest: image.digest,
          signatures: 1,
          signers: [pair.name],
        });
      });
    });

    describe('when a signature cosign does not make is attached', () => {
      const rsa = pkcs8('rsa', { modulusLength: 2048 });
      const p521 = pkcs8('ec', { namedCurve: 'P-521' });
      const ed = pkcs8('ed25519');
      it.each([
        [
          'RSA PSS',
          rsa,
          (p: Buffer) =>
            sign('sha256', p, {
              key: rsa.privateKey,
              padding: constants.RSA_PKCS1_PSS_PADDING,
              saltLength: 32,
            }),
        ],
        [
          'ECDSA P-521 with SHA-512',
          p521,
          (p: Buffer) => sign('sha512', p, p521.privateKey),
        ],
        ['pure Ed25519', ed, (p: Buffer) => sign(null, p, ed.privateKey)],
      ])('verifies %s', async (label, key, signPayload) => {
        const image = await registry.pushRandomImage(
          'signed/attached',
          label.replace(/\W/g, ''),
        );
        const payload = simpleSigningPayload(
          `${registry.host}/signed/attached`,
          image.digest,
        );
        const signature = signPayload(payload).toString('base64');
        await registry.attachSignature(image.refAtDigest, {
          payload,
          signature,
        });
        const fact = await verifier([
          { name: 'attached', publicKeyPem: key.publicKeyPem },
        ]).verify(parse(image.refAtDigest));
        expect(fact.signers).toEqual(['attached']);
      });
    });

    describe('when the image is unsigned', () => {
      it('reports no signatures and no error', async () => {
        const image = await registry.pushRandomImage('plain/app', 'v1');
        const fact = await verifier([trusted(release)]).verify(
          parse(image.refAtDigest),
        );
        expect(fact).toEqual({
          ref: image.refAtDigest,
          digest: image.digest,
          signatures: 0,
          signers: [],
        });
      });
    });

    describe('when only an untrusted key signed', () => {
      it('counts the signature but names no signer', async () => {
        const image = await signedImage('stranger/app', stranger);
        const fact = await verifier([trusted(release)]).verify(
          parse(image.refAtDigest),
        );
        expect(fact).toMatchObject({
          signatures: 1,
          signers: [],
          rejected: ['signature 0: no trusted key verified it'],
        });
        expect(fact.error).toBeUndefined();
      });
    });

    describe('when several keys signed', () => {
      it('names every trusted signer, in key order', async () => {
        const image = await signedImage('multi/app', stranger);
        await registry.signImage(image.refAtDigest, release);
        const keys = [trusted(stranger), trusted(release)];
        const fact = await verifier(keys).verify(parse(image.refAtDigest));
        expect(fact).toMatchObject({
          signatures: 2,
          signers: ['stranger', 'release'],
        });
        expect(fact.rejected).toBeUndefined();
      });
    });

    describe('when the signed payload was altered in storage', () => {
      it('does not verify it', async () => {
        const image = await signedImage('tampered/app', release);
        const sig = await fetchSignatureManifest(
          registry,
          'tampered/app',
          image.digest,
        );
        const file = registry.blobFile(sig.layers[0]?.digest ?? '');
        const text = readFileSync(file, 'utf8');
        writeFileSync(file, text.replace('"optional":null', '"optional":1234'));
        const fact = await verifier([trusted(release)]).verify(
          parse(image.refAtDigest),
        );
        expect(fact.signatures).toBe(1);
        expect(fact.signers).toEqual([]);
        expect(fact.rejected?.[0]).toMatch(/does not match its digest/);
      });
    });

    describe('when a signature is replayed from another image', () => {
      it('does not verify it for the other digest', async () => {
        const signed = await signedImage('replay/app', release);
        const victim = await registry.pushRandomImage('replay/app', 'v2');
        const base = `${registry.host}/replay/app`;
        await registry.copy(
          `${base}:${signatureTag(signed.digest)}`,
          `${base}:${signatureTag(victim.digest)}`,
        );
        const fact = await verifier([trusted(release)]).verify(
          parse(victim.refAtDigest),
        );
        expect(fact).toMatchObject({ signatures: 1, signers: [] });
        expect(fact.rejected?.[0]).toContain(
          `payload names digest "${signed.digest}", not ${victim.digest}`,
        );
      });
    });

    describe('when the reference is a tag', () => {
      it('resolves it to the digest and verifies that', async () => {
        const image = await signedImage('tagged/app', release);
        const fact = await verifier([trusted(release)]).verify(
          parse(image.ref),
        );
        expect(fact).toEqual({
          ref: image.ref,
          digest: image.digest,
          signatures: 1,
          signers: ['release'],
        });
      });

      it('follows the tag when it moves', async () => {
        const v = verifier([trusted(release)], { tagTtlMs: 50 });
        const first = await signedImage('moving/app', release);
        expect((await v.verify(parse(first.ref))).digest).toBe(first.digest);
        const second = await registry.pushRandomImage('moving/app', 'v1');
        await new Promise((r) => setTimeout(r, 60));
        const fact = await v.verify(parse(first.ref));
        expect(fact).toMatchObject({ digest: second.digest, signatures: 0 });
      });
    });

    describe('when a lookup fails', () => {
      it('does not cache the failure', async () => {
        const v = verifier([trusted(release)]);
        const ref = parse(`${registry.host}/late/app:v1`);
        expect((await v.verify(ref)).error?.code).toBe('REGISTRY_NOT_FOUND');
        const image = await signedImage('late/app', release);
        expect(await v.verify(ref)).toMatchObject({
          digest: image.digest,
          signers: ['release'],
        });
      });
    });

    describe('when calls for one digest overlap', () => {
      it('shares one lookup, and the next call is served from cache', async () => {
        const image = await signedImage('busy/app', release);
        const proxy = await startCountingProxy(registry.host);
        try {
          const v = createCosignVerifier({
            keys: [trusted(release)],
            registries: [{ host: proxy.host, insecure: true }],
          });
          const ref = parse(`${proxy.host}/busy/app@${image.digest}`);
          const facts = await Promise.all(
            [1, 2, 3, 4, 5].map(() => v.verify(ref)),
          );
          expect(new Set(facts.map((f) => f.signers.join()))).toEqual(
            new Set(['release']),
          );
          expect(proxy.requests).toHaveLength(2); // .sig manifest + payload
          await v.verify(ref);
          expect(proxy.requests).toHaveLength(2);
        } finally {
          await proxy.stop();
        }
      });
    });
  });
});

interface SignatureManifest {
  layers: { digest: string }[];
}

async function fetchSignatureManifest(
  registry: TestRegistry,
  repository: string,
  digest: string,
): Promise<SignatureManifest> {
  const url = `http://${registry.host}/v2/${repository}/manifests/${signatureTag(digest)}`;
  const res = await fetch(url, {
    headers: { Accept: 'application/vnd.oci.image.manifest.v1+json' },
  });
  return (await res.json()) as SignatureManifest;
}
