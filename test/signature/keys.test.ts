import {
  constants,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  sign,
  type KeyObject,
} from 'node:crypto';
import { isModelgateError } from '../../core/errors';
import {
  keySetFingerprint,
  loadTrustedKeys,
  type TrustedKey,
} from '../../core/signature';

const payload = Buffer.from('{"critical":{}}');

function pem(key: KeyObject): string {
  return key.export({ type: 'spki', format: 'pem' }).toString();
}

function pair(type: string, options: object = {}) {
  // The overloads of generateKeyPairSync need a literal type; this helper
  // is for tests only.
  const generate = generateKeyPairSync as (
    t: string,
    o: object,
  ) => { publicKey: KeyObject; privateKey: KeyObject };
  return generate(type, options);
}

function loadOne(key: TrustedKey) {
  const [loaded] = loadTrustedKeys([key]);
  if (!loaded) throw new Error('no key loaded');
  return loaded;
}

/** RFC 8032 section 7.3: the Ed25519ph test vector (message "abc"). */
const RFC_PH = {
  publicKeyPem: pem(
    createPublicKey({
      key: Buffer.from(
        '302a300506032b6570032100' +
          'ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf',
        'hex',
      ),
      format: 'der',
      type: 'spki',
    }),
  ),
  signature: Buffer.from(
    '98a70222f0b8121aa9d30f813d683f809e462b469c7ff87639499bb94e6dae41' +
      '31f85042463c2a355a2003d062adf5aaa10b8c61e636062aaad11c2a26083406',
    'hex',
  ),
};

describe('loadTrustedKeys', () => {
  describe('when a key is malformed', () => {
    const rsa1024 = pair('rsa', { modulusLength: 1024 }).publicKey;
    const k1 = pair('ec', { namedCurve: 'secp256k1' }).publicKey;
    const x25519 = pair('x25519').publicKey;
    const good = pem(pair('ec', { namedCurve: 'P-256' }).publicKey);
    const privatePem = pair('ec', { namedCurve: 'P-256' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();

    it.each([
      ['garbage inside PEM armour', 'k', garbled(good), 'could not be parsed'],
      ['not PEM at all', 'k', 'hello', 'not a PEM public key'],
      ['a private key', 'k', privatePem, 'not a PEM public key'],
      ['an unsupported curve', 'k', pem(k1), 'unsupported curve'],
      ['a short RSA key', 'k', pem(rsa1024), 'at least 2048'],
      ['an unsupported key type', 'k', pem(x25519), 'unsupported key type'],
      ['an empty name', '', good, 'needs a name'],
    ])('rejects %s with KEY_INVALID naming it', (_l, name, text, why) => {
      let thrown: unknown;
      try {
        loadTrustedKeys([{ name, publicKeyPem: text }]);
      } catch (err) {
        thrown = err;
      }
      expect(isModelgateError(thrown, 'KEY_INVALID')).toBe(true);
      const message = (thrown as Error).message;
      expect(message).toContain(why);
      expect(message).toContain(name === '' ? '#0' : `"${name}"`);
      const keyMaterial = text.split('\n')[1] ?? '';
      if (keyMaterial.length > 8) expect(message).not.toContain(keyMaterial);
    });

    it('rejects two keys with one name', () => {
      const keys = [
        { name: 'release', publicKeyPem: good },
        { name: 'release', publicKeyPem: good },
      ];
      expect(() => loadTrustedKeys(keys)).toThrow(/"release" is listed twice/);
    });
  });

  describe('when a key signs a payload', () => {
    const ec = (curve: string, hash: string) => {
      const { publicKey, privateKey } = pair('ec', { namedCurve: curve });
      return [pem(publicKey), sign(hash, payload, privateKey)] as const;
    };
    const rsa = (type: string, padding: number) => {
      const { publicKey, privateKey } = pair(type, { modulusLength: 2048 });
      const signature = sign('sha256', payload, {
        key: privateKey,
        padding,
        saltLength: 32,
      });
      return [pem(publicKey), signature] as const;
    };
    const ed = () => {
      const { publicKey, privateKey } = pair('ed25519');
      return [pem(publicKey), sign(null, payload, privateKey)] as const;
    };

    it.each([
      ['ECDSA P-256 with SHA-256', ...ec('P-256', 'sha256')],
      ['ECDSA P-384 with SHA-384', ...ec('P-384', 'sha384')],
      ['ECDSA P-384 with SHA-256', ...ec('P-384', 'sha256')],
      ['ECDSA P-521 with SHA-512', ...ec('P-521', 'sha512')],
      ['ECDSA P-521 with SHA-256', ...ec('P-521', 'sha256')],
      ['pure Ed25519', ...ed()],
      ['RSA PKCS#1 v1.5', ...rsa('rsa', constants.RSA_PKCS1_PADDING)],
      ['RSA PSS', ...rsa('rsa', constants.RSA_PKCS1_PSS_PADDING)],
      ['an RSA-PSS key', ...rsa('rsa-pss', constants.RSA_PKCS1_PSS_PADDING)],
    ])('verifies %s over the exact bytes only', (_l, publicKeyPem, sig) => {
      const key = loadOne({ name: 'k', publicKeyPem });
      expect(key.verify(payload, sig)).toBe(true);
      expect(key.verify(Buffer.concat([payload, Buffer.from(' ')]), sig)).toBe(
        false,
      );
      expect(key.verify(payload, randomBytes(sig.length))).toBe(false);
      expect(key.verify(payload, Buffer.alloc(0))).toBe(false);
    });

    it('verifies Ed25519ph, as cosign signs with Ed25519 keys', () => {
      const key = loadOne({ name: 'k', publicKeyPem: RFC_PH.publicKeyPem });
      expect(key.verify(Buffer.from('abc'), RFC_PH.signature)).toBe(true);
      expect(key.verify(Buffer.from('abd'), RFC_PH.signature)).toBe(false);
    });

    it('does not verify a signature made by another key', () => {
      const [, sig] = ec('P-256', 'sha256');
      const [otherPem] = ec('P-256', 'sha256');
      const key = loadOne({ name: 'k', publicKeyPem: otherPem });
      expect(key.verify(payload, sig)).toBe(false);
    });
  });
});

describe('keySetFingerprint', () => {
  const a = { name: 'a', publicKeyPem: pem(pair('ed25519').publicKey) };
  const b = { name: 'b', publicKeyPem: pem(pair('ed25519').publicKey) };

  it('ignores the order of keys', () => {
    expect(keySetFingerprint(loadTrustedKeys([a, b]))).toBe(
      keySetFingerprint(loadTrustedKeys([b, a])),
    );
  });

  it('changes when a key is renamed or replaced', () => {
    const base = keySetFingerprint(loadTrustedKeys([a, b]));
    const renamed = keySetFingerprint(
      loadTrustedKeys([a, { ...b, name: 'c' }]),
    );
    const replaced = keySetFingerprint(
      loadTrustedKeys([a, { ...b, publicKeyPem: a.publicKeyPem }]),
    );
    expect(new Set([base, renamed, replaced]).size).toBe(3);
  });
});

function garbled(text: string): string {
  return text.replace(/\n[A-Za-z0-9+/]{10}/, '\nAAAAAAAAAA');
}
