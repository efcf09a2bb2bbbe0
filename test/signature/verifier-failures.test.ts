import { isModelgateError } from '../../core/errors';
import { parseImageRef } from '../../core/image-ref';
import { createCosignVerifier, type TrustedKey } from '../../core/signature';
import {
  registryToolsMissing,
  startRegistry,
  type KeyPair,
} from '../support/oci-registry';
import { closedHost, startHangingServer } from '../registry/loopback';

const missing = registryToolsMissing();
const withRegistry = missing ? describe.skip : describe;
const skipped = missing ? ` (skipped: ${missing})` : '';
const parse = parseImageRef;

function trusted(pair: KeyPair): TrustedKey {
  return { name: pair.name, publicKeyPem: pair.publicKeyPem };
}

describe('createCosignVerifier', () => {
  withRegistry(`when the registry goes away after a lookup${skipped}`, () => {
    it('still answers a verified digest from cache, but not an unsigned one', async () => {
      const own = await startRegistry();
      try {
        const key = await own.generateKeyPair('release');
        const signed = await own.pushRandomImage('cached/app', 'signed');
        await own.signImage(signed.refAtDigest, key);
        const unsigned = await own.pushRandomImage('cached/app', 'unsigned');
        const v = createCosignVerifier({
          keys: [trusted(key)],
          registries: [{ host: own.host, insecure: true }],
          unverifiedTtlMs: 0,
        });
        const first = await v.verify(parse(signed.refAtDigest));
        await v.verify(parse(unsigned.refAtDigest));
        await own.stop();

        expect(await v.verify(parse(signed.refAtDigest))).toEqual(first);
        const after = await v.verify(parse(unsigned.refAtDigest));
        expect(after.error?.code).toBe('REGISTRY_UNREACHABLE');
      } finally {
        await own.stop();
      }
    });
  });

  describe('when the registry is down', () => {
    it('returns REGISTRY_UNREACHABLE quickly instead of throwing', async () => {
      const host = await closedHost();
      const started = Date.now();
      const fact = await createCosignVerifier({
        keys: [],
        registries: [{ host, insecure: true }],
      }).verify(parse(`${host}/m/app:v1`));
      expect(Date.now() - started).toBeLessThan(1000);
      expect(fact).toEqual({
        ref: `${host}/m/app:v1`,
        signatures: 0,
        signers: [],
        error: {
          code: 'REGISTRY_UNREACHABLE',
          message: `registry ${host} is unreachable: connection refused`,
        },
      });
    });
  });

  describe('when the registry accepts connections and never answers', () => {
    it('returns REGISTRY_TIMEOUT within the deadline', async () => {
      const hanging = await startHangingServer();
      try {
        const started = Date.now();
        const fact = await createCosignVerifier({
          keys: [],
          registries: [{ host: hanging.host, insecure: true }],
          timeoutMs: 300,
        }).verify(parse(`${hanging.host}/m/app@sha256:${'a'.repeat(64)}`));
        const elapsed = Date.now() - started;
        expect(fact.error?.code).toBe('REGISTRY_TIMEOUT');
        expect(elapsed).toBeGreaterThanOrEqual(250);
        expect(elapsed).toBeLessThan(1000);
      } finally {
        await hanging.stop();
      }
    });
  });

  describe('when a trusted key is malformed', () => {
    it('throws KEY_INVALID naming the key at construction', () => {
      let thrown: unknown;
      try {
        createCosignVerifier({
          keys: [{ name: 'broken', publicKeyPem: 'not a key' }],
        });
      } catch (err) {
        thrown = err;
      }
      expect(isModelgateError(thrown, 'KEY_INVALID')).toBe(true);
      expect((thrown as Error).message).toContain('"broken"');
    });
  });
});
