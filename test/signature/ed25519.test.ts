import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { verifyEd25519 } from '../../core/signature';

const hex = (text: string) => Buffer.from(text, 'hex');

/** RFC 8032 section 7.3, the Ed25519ph vector. */
const PH = {
  publicKey: hex(
    'ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf',
  ),
  message: Buffer.from('abc'),
  signature: hex(
    '98a70222f0b8121aa9d30f813d683f809e462b469c7ff87639499bb94e6dae41' +
      '31f85042463c2a355a2003d062adf5aaa10b8c61e636062aaad11c2a26083406',
  ),
};

function nodeSigned(message: Buffer) {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' });
  return {
    publicKey: Buffer.from(jwk.x ?? '', 'base64url'),
    signature: sign(null, message, privateKey),
  };
}

describe('verifyEd25519', () => {
  describe('when the signature is pre-hashed (Ed25519ph)', () => {
    it('accepts the RFC 8032 vector', () => {
      const { publicKey, message, signature } = PH;
      expect(verifyEd25519(publicKey, message, signature, true)).toBe(true);
    });

    it.each([
      ['another message', { message: Buffer.from('abd') }],
      ['a flipped signature bit', { signature: flip(PH.signature, 5) }],
      ['a flipped S bit', { signature: flip(PH.signature, 40) }],
      ['a short signature', { signature: PH.signature.subarray(0, 63) }],
      ['another public key', { publicKey: nodeSigned(PH.message).publicKey }],
      ['a public key off the curve', { publicKey: Buffer.alloc(32, 0xff) }],
      ['S at or above the group order', { signature: withHighS() }],
    ])('rejects %s', (_label, change) => {
      const v = { ...PH, ...change };
      expect(verifyEd25519(v.publicKey, v.message, v.signature, true)).toBe(
        false,
      );
    });

    it('rejects the same signature read as pure Ed25519', () => {
      const { publicKey, message, signature } = PH;
      expect(verifyEd25519(publicKey, message, signature, false)).toBe(false);
    });
  });

  describe('when the signature is pure Ed25519', () => {
    it.each([0, 1, 100, 4096])(
      'agrees with node crypto for a %i-byte message',
      (size) => {
        const message = randomBytes(size);
        const { publicKey, signature } = nodeSigned(message);
        expect(verifyEd25519(publicKey, message, signature, false)).toBe(true);
        expect(verifyEd25519(publicKey, message, signature, true)).toBe(false);
        const other = Buffer.concat([message, Buffer.from([0])]);
        expect(verifyEd25519(publicKey, other, signature, false)).toBe(false);
      },
    );
  });
});

function flip(bytes: Buffer, index: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[index] = (copy[index] as number) ^ 0x01;
  return copy;
}

function withHighS(): Buffer {
  const copy = Buffer.from(PH.signature);
  copy.fill(0xff, 32, 63);
  copy[63] = 0x7f;
  return copy;
}
