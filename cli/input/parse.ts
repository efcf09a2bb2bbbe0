/**
 * Parses manifest text into Kubernetes objects. The text is untrusted: the
 * YAML parser runs with a bound on alias expansion, and every document that
 * is not a Kubernetes object becomes an error with its position instead of
 * being skipped or crashing the run.
 */
import {
  LineCounter,
  isMap,
  isScalar,
  isSeq,
  parseAllDocuments,
  type Document,
} from 'yaml';
import { describeThrown } from '../../core/errors';
import type { InputError, InputObject, SourceRef } from './types';

/** Aliases a document may expand; beyond it is a "billion laughs" input. */
export const MAX_ALIASES = 100;

type Json = Record<string, unknown>;
type Segment = string | number;

interface DocumentContext {
  readonly doc: Document;
  readonly lines: LineCounter;
  readonly source: SourceRef;
  readonly out: { objects: InputObject[]; errors: InputError[] };
}

/**
 * Reads every document in `text` (YAML; JSON is read as YAML, which gives
 * it line numbers). Empty documents are skipped; arrays and Lists are
 * expanded into their items.
 */
export function parseManifests(
  text: string,
  file: string,
): { objects: InputObject[]; errors: InputError[] } {
  const out = { objects: [] as InputObject[], errors: [] as InputError[] };
  const lines = new LineCounter();
  let docs: Document[];
  try {
    // LIMITATION: read as YAML 1.2 with << merge keys; kubectl reads YAML
    // 1.1, where an unquoted yes/on/off is a boolean, not a string.
    docs = parseAllDocuments(text, { lineCounter: lines, merge: true });
  } catch (err) {
    // The parser reports syntax errors per document; a throw here is an
    // input it cannot handle at all (deep nesting exhausting the stack).
    out.errors.push(
      invalid({ file }, `not valid YAML: ${describeThrown(err)}`),
    );
    return out;
  }
  docs.forEach((doc, i) => {
    readDocument({ doc, lines, source: { file, document: i + 1 }, out });
  });
  return out;
}

function readDocument(ctx: DocumentContext): void {
  const { doc, source, out } = ctx;
  const syntax = doc.errors[0];
  if (syntax) {
    const at = syntax.linePos?.[0];
    const where = { ...source, line: at?.line, column: at?.col };
    out.errors.push(
      invalid(where, `not valid YAML: ${parserMessage(syntax.message)}`),
    );
    return;
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (err) {
    out.errors.push(invalid(source, `cannot be read: ${describeThrown(err)}`));
    return;
  }
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    value.forEach((item, i) => readObject(ctx, item, [i], `[${i}]`));
    return;
  }
  readObject(ctx, value, [], undefined);
}

function readObject(
  ctx: DocumentContext,
  value: unknown,
  at: readonly Segment[],
  item: string | undefined,
): void {
  const source: SourceRef = { ...ctx.source, item, line: lineAt(ctx, at) };
  if (!isPlainObject(value)) {
    ctx.out.errors.push(
      invalid(
        source,
        `expected a Kubernetes object (a mapping), got ${typeName(value)}`,
      ),
    );
    return;
  }
  if (isList(value)) {
    value.items.forEach((entry, j) => {
      const withDefaults = listItemDefaults(value, entry);
      readObject(
        ctx,
        withDefaults,
        [...at, 'items', j],
        `${item ?? ''}items[${j}]`,
      );
    });
    return;
  }
  const missing = ['apiVersion', 'kind'].filter(
    (field) => typeof value[field] !== 'string' || value[field] === '',
  );
  if (missing.length > 0) {
    ctx.out.errors.push(
      invalid(
        source,
        `not a Kubernetes object: missing ${missing.join(' and ')}`,
      ),
    );
    return;
  }
  ctx.out.objects.push({
    source,
    object: value,
    lineOf: (path) => lineAt(ctx, [...at, ...splitPath(path)]),
  });
}

/** `kind: List`, or a typed list such as `PodList`, with an items array. */
function isList(value: Json): value is Json & { items: unknown[] } {
  return (
    typeof value.kind === 'string' &&
    value.kind.endsWith('List') &&
    Array.isArray(value.items)
  );
}

/** Items of a typed list (`PodList`) may omit their kind and apiVersion. */
function listItemDefaults(list: Json, item: unknown): unknown {
  const kind = String(list.kind);
  if (kind === 'List' || !isPlainObject(item)) return item;
  return {
    apiVersion: list.apiVersion,
    kind: kind.slice(0, -'List'.length),
    ...item,
  };
}

/**
 * The line of the deepest node on `path` that exists. For a mapping entry
 * it is the key's line, which is where an editor should point.
 */
function lineAt(
  ctx: DocumentContext,
  path: readonly Segment[],
): number | undefined {
  let node: unknown = ctx.doc.contents;
  let offset = rangeStart(node);
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => isScalar(p.key) && String(p.key.value) === String(segment),
      );
      if (!pair) break;
      offset = rangeStart(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
      offset = rangeStart(node) ?? offset;
    } else {
      break;
    }
  }
  return offset === undefined ? undefined : ctx.lines.linePos(offset).line;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range?.[0];
}

/** Splits `spec.containers[0].image` into `spec`, `containers`, 0, `image`. */
export function splitPath(path: string): Segment[] {
  const segments: Segment[] = [];
  for (const match of path.matchAll(/\[(\d+)\]|\["([^"]*)"\]|[^.[\]]+/g)) {
    if (match[1] !== undefined) segments.push(Number(match[1]));
    else segments.push(match[2] ?? match[0]);
  }
  return segments;
}

function isPlainObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeName(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return `a ${typeof value}`;
}

/** The parser's message without its position and code excerpt. */
function parserMessage(message: string): string {
  const line = message
    .split('\n')[0]!
    .replace(/ at line \d+, column \d+:?$/, '');
  return /^[A-Z][a-z]/.test(line)
    ? line[0]!.toLowerCase() + line.slice(1)
    : line;
}

function invalid(source: SourceRef, message: string): InputError {
  return { source, code: 'INPUT_INVALID', message };
}
