/**
 * The objects the benchmark sends: every object of every YAML file in the
 * shared corpus (`$MODELGATE_SHARED/corpus`, default `../shared/corpus`),
 * or the repository's example manifests on a fresh clone without it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

export interface Corpus {
  /** Human-readable origin, for the report. */
  readonly source: string;
  readonly objects: readonly BenchObject[];
  /** Files skipped because they do not parse. */
  readonly skipped: readonly string[];
  /** Set when the shared corpus was missing and examples were used. */
  readonly fallbackNote?: string;
}

export interface BenchObject {
  readonly raw: Record<string, unknown>;
  readonly kind: string;
  readonly name: string;
  /** What the API server would put in `request.namespace`; '' if none. */
  readonly namespace: string;
}

/** The repository root, from dist/bench/ or from bench/ under ts-node. */
export const repoRoot = resolve(
  __dirname,
  ...(__dirname.includes(join('dist', 'bench')) ? ['..', '..'] : ['..']),
);

/** Kinds the API server stores without a namespace (of those we may meet). */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'PersistentVolume',
  'StorageClass',
  'ClusterRole',
  'ClusterRoleBinding',
  'ClusterServingRuntime',
  'CustomResourceDefinition',
  'PriorityClass',
  'IngressClass',
  'GatewayClass',
]);

export function loadCorpus(): Corpus {
  const shared = resolve(
    process.env.MODELGATE_SHARED ?? join(repoRoot, '..', 'shared'),
  );
  const corpusDir = join(shared, 'corpus');
  if (existsSync(corpusDir)) return readFolder(corpusDir, corpusDir);

  // examples/*.yaml holds only the example config; the manifests are here.
  const examples = join(repoRoot, 'examples', 'manifests');
  return {
    ...readFolder(examples, 'examples/manifests/*.yaml'),
    fallbackNote: `${corpusDir} not found: using the repository's examples/manifests/*.yaml instead`,
  };
}

function readFolder(dir: string, source: string): Corpus {
  const files = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  const objects: BenchObject[] = [];
  const skipped: string[] = [];
  for (const file of files) {
    const parsed = parseFile(join(dir, file));
    if (parsed === undefined) skipped.push(file);
    else objects.push(...parsed);
  }
  return { source, objects, skipped };
}

/** The file's objects, or undefined when any document fails to parse. */
function parseFile(path: string): BenchObject[] | undefined {
  const docs = parseAllDocuments(readFileSync(path, 'utf8'));
  if (docs.some((d) => d.errors.length > 0)) return undefined;
  return docs
    .map((d) => d.toJS() as unknown)
    .filter(isKubernetesObject)
    .map(toBenchObject);
}

function isKubernetesObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  return typeof o.kind === 'string' && typeof o.apiVersion === 'string';
}

function toBenchObject(raw: Record<string, unknown>): BenchObject {
  const kind = String(raw.kind);
  const metadata = (raw.metadata ?? {}) as Record<string, unknown>;
  const own = typeof metadata.namespace === 'string' ? metadata.namespace : '';
  return {
    raw,
    kind,
    name: typeof metadata.name === 'string' ? metadata.name : '',
    namespace: CLUSTER_SCOPED.has(kind) ? '' : own || 'default',
  };
}

/**
 * The object as a CREATE AdmissionReview v1, serialized once with a
 * placeholder uid so every request gets a unique uid without re-encoding.
 */
export function reviewTemplate(o: BenchObject): (uid: string) => string {
  const apiVersion = String(o.raw.apiVersion);
  const [group, version] = apiVersion.includes('/')
    ? apiVersion.split('/')
    : ['', apiVersion];
  const text = JSON.stringify({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: UID_MARK,
      kind: { group, version, kind: o.kind },
      resource: { group, version, resource: `${o.kind.toLowerCase()}s` },
      name: o.name,
      ...(o.namespace && { namespace: o.namespace }),
      operation: 'CREATE',
      userInfo: { username: 'modelgate-bench' },
      object: o.raw,
      dryRun: false,
    },
  });
  const [head, tail] = text.split(UID_MARK) as [string, string];
  return (uid) => head + uid + tail;
}

const UID_MARK = '__MODELGATE_BENCH_UID__';
