/**
 * `WWW-Authenticate` parsing (RFC 7235). The header is registry-controlled,
 * so the parser is bounded and never throws: what it cannot read, it drops.
 */

export interface Challenge {
  /** Lowercased scheme: `basic`, `bearer`, … */
  readonly scheme: string;
  /** Parameters with lowercased names: `realm`, `service`, `scope`. */
  readonly params: Readonly<Record<string, string>>;
}

const MAX_HEADER = 4096;
const TOKEN = /[!#$%&'*+.^_`|~0-9A-Za-z-]+/y;
const SEPARATORS = /[\s,]*/y;

/** Every challenge in the header, in order. */
export function parseChallenges(
  header: string | string[] | undefined,
): Challenge[] {
  const text = (
    Array.isArray(header) ? header.join(', ') : (header ?? '')
  ).slice(0, MAX_HEADER);
  const challenges: { scheme: string; params: Record<string, string> }[] = [];
  let pos = 0;
  while (pos < text.length) {
    pos = skip(SEPARATORS, text, pos);
    const token = match(TOKEN, text, pos);
    if (token === undefined) break;
    pos += token.length;
    const afterSpace = skip(/ */y, text, pos);
    const current = challenges[challenges.length - 1];
    if (text[afterSpace] === '=' && current) {
      const [value, next] = readValue(text, skip(/ */y, text, afterSpace + 1));
      current.params[token.toLowerCase()] = value;
      pos = next;
    } else {
      challenges.push({ scheme: token.toLowerCase(), params: {} });
    }
  }
  return challenges;
}

/** The challenge to answer: bearer before basic; others are unsupported. */
export function pickChallenge(
  challenges: readonly Challenge[],
): Challenge | undefined {
  return (
    challenges.find((c) => c.scheme === 'bearer') ??
    challenges.find((c) => c.scheme === 'basic')
  );
}

function readValue(text: string, pos: number): [string, number] {
  if (text[pos] !== '"') {
    const token = match(TOKEN, text, pos) ?? '';
    return [token, pos + token.length];
  }
  let value = '';
  let i = pos + 1;
  while (i < text.length && text[i] !== '"') {
    if (text[i] === '\\' && i + 1 < text.length) i += 1;
    value += text[i];
    i += 1;
  }
  return [value, i + 1];
}

function match(pattern: RegExp, text: string, pos: number): string | undefined {
  pattern.lastIndex = pos;
  return pattern.exec(text)?.[0];
}

function skip(pattern: RegExp, text: string, pos: number): number {
  return pos + (match(pattern, text, pos)?.length ?? 0);
}
