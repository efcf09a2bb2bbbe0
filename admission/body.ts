/**
 * Reads an AdmissionReview body from the wire. The body is untrusted: its
 * size is capped before it is buffered, and its nesting is measured on the
 * raw bytes before JSON.parse ever sees it, so a hostile document can cost
 * neither memory nor stack.
 */
import type { IncomingMessage } from 'node:http';
import { AdmissionError } from './errors';

export interface BodyLimits {
  readonly maxBytes: number;
  readonly maxDepth: number;
}

/** Checks the media type, reads the body within limits and parses it. */
export async function readJsonBody(
  req: IncomingMessage,
  limits: BodyLimits,
): Promise<unknown> {
  checkMediaType(req);
  const raw = await readLimited(req, limits.maxBytes);
  checkDepth(raw, limits.maxDepth);
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch (err) {
    throw new AdmissionError(
      'BODY_NOT_JSON',
      `body is not valid JSON: ${(err as Error).message}`,
    );
  }
}

function checkMediaType(req: IncomingMessage): void {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
  if (type.toLowerCase() !== 'application/json') {
    throw new AdmissionError(
      'MEDIA_TYPE_UNSUPPORTED',
      `expected content-type application/json, got ${type || 'none'}`,
    );
  }
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') {
    throw new AdmissionError(
      'MEDIA_TYPE_UNSUPPORTED',
      `content-encoding ${encoding} is not accepted; send the body uncompressed`,
    );
  }
}

/**
 * Buffers the body, giving up as soon as it passes `maxBytes`. What is left
 * unread is drained by node once the response is sent, so the client still
 * gets the 413 instead of a reset connection.
 */
function readLimited(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const tooLarge = () =>
    new AdmissionError(
      'BODY_TOO_LARGE',
      `body is larger than the limit of ${maxBytes} bytes`,
    );
  if (Number(req.headers['content-length'] ?? 0) > maxBytes) {
    return Promise.reject(tooLarge());
  }

  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (err: AdmissionError) => {
      req.removeListener('data', onData);
      req.removeListener('end', onEnd);
      req.resume();
      reject(err);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) return stop(tooLarge());
      chunks.push(chunk);
    };
    const onEnd = () => resolve(Buffer.concat(chunks, size));
    req.on('data', onData);
    req.on('end', onEnd);
    req.once('error', (err) =>
      stop(new AdmissionError('BODY_UNREADABLE', err.message, { cause: err })),
    );
    req.once('close', () => {
      if (!req.complete) {
        stop(
          new AdmissionError('BODY_UNREADABLE', 'client went away mid-body'),
        );
      }
    });
  });
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;

/**
 * Measures bracket nesting in one pass over the bytes, without recursion.
 * Brackets inside strings do not count. Malformed JSON is left for
 * JSON.parse to reject; this only bounds how deep a valid one may go.
 */
export function checkDepth(raw: Buffer, maxDepth: number): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i]!;
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_ARRAY || byte === OPEN_OBJECT) {
      depth++;
      if (depth > maxDepth) {
        throw new AdmissionError(
          'BODY_TOO_DEEP',
          `body nests deeper than the limit of ${maxDepth} levels`,
        );
      }
    } else if (byte === CLOSE_ARRAY || byte === CLOSE_OBJECT) {
      depth--;
    }
  }
}
