/**
 * The cosign "simple signing" payload: the signed JSON document that binds a
 * signature to one image digest.
 *
 * {"critical":{"identity":{"docker-reference":"…"},
 *  "image":{"docker-manifest-digest":"sha256:…"},
 *  "type":"cosign container image signature"},"optional":{…}}
 */

export const SIMPLE_SIGNING_MEDIA_TYPE =
  'application/vnd.dev.cosign.simplesigning.v1+json';
export const SIGNATURE_ANNOTATION = 'dev.cosignproject.cosign/signature';
const SIGNATURE_TYPE = 'cosign container image signature';

/**
 * Returns why the payload does not bind a signature to `digest`, or
 * undefined when it does. The payload is untrusted until its signature has
 * verified, so only the two critical fields are read.
 *
 * LIMITATION: `critical.identity.docker-reference` is not compared with the
 * image name, as `cosign verify` does not by default: signatures stay valid
 * when an image is copied to another repository.
 */
export function payloadProblem(
  payload: Buffer,
  digest: string,
): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload.toString('utf8'));
  } catch {
    return 'payload is not json';
  }
  const critical = field(parsed, 'critical');
  const type = field(critical, 'type');
  if (type !== SIGNATURE_TYPE) {
    return `payload type is ${quote(type)}, expected "${SIGNATURE_TYPE}"`;
  }
  const signed = field(field(critical, 'image'), 'docker-manifest-digest');
  if (signed !== digest) {
    return `payload names digest ${quote(signed)}, not ${digest}`;
  }
  return undefined;
}

function field(value: unknown, name: string): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return undefined;
  }
  return Object.prototype.hasOwnProperty.call(value, name)
    ? (value as Record<string, unknown>)[name]
    : undefined;
}

function quote(value: unknown): string {
  return typeof value === 'string'
    ? JSON.stringify(value.slice(0, 80))
    : 'missing';
}
