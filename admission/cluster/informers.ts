/**
 * One list-and-watch cache per watched kind, through client-node's
 * informers. Lists are read raw, so cached objects keep every field and
 * their kind, as the API server wrote them.
 */
import { request } from 'node:https';
import {
  makeInformer,
  type Informer,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
  type ObjectCache,
} from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { collectionPath, type WatchedResource } from './kinds';

type Json = Record<string, unknown>;
type Cache = Informer<KubernetesObject> & ObjectCache<KubernetesObject>;

export interface RetryPolicy {
  /** First wait after a failed list or watch. */
  readonly initialMs: number;
  /** Waits double up to this. */
  readonly maxMs: number;
}

// LIMITATION: every watched object is cached whole (less managedFields),
// pods included; a cluster with very many pods costs the webhook memory in
// proportion. Field selectors cannot narrow it without losing what a rule
// may need.
/** A cache that restarts itself after errors until it is stopped. */
export class WatchedCache {
  private readonly informer: Cache;
  private attemptFailed = false;
  private hasSynced = false;
  /** When the view began to fail, while it fails. */
  private failingSince: number | undefined;
  private stopped = false;
  private waitMs: number;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly resource: WatchedResource,
    kubeConfig: KubeConfig,
    private readonly logger: Logger,
    private readonly retry: RetryPolicy,
  ) {
    this.waitMs = retry.initialMs;
    this.informer = makeInformer(kubeConfig, collectionPath(resource), () =>
      this.listAll(kubeConfig),
    );
    // The webhook never reads field ownership; dropping it halves the cache.
    const trim = (o: KubernetesObject) => {
      if (o.metadata) delete o.metadata.managedFields;
    };
    this.informer.on('add', trim);
    this.informer.on('update', trim);
    this.informer.on('error', (err: unknown) => this.failed(err));
  }

  /**
   * True once a list has filled the cache, and false again while its
   * watch has been failing for longer than a blip: a frozen view must not
   * keep a replica ready.
   */
  synced(): boolean {
    if (!this.hasSynced) return false;
    return (
      this.failingSince === undefined ||
      Date.now() - this.failingSince < STALE_AFTER_MS
    );
  }

  list(namespace?: string): readonly Json[] {
    return this.informer.list(namespace) as unknown as readonly Json[];
  }

  get(name: string, namespace?: string): Json | undefined {
    return this.informer.get(name, namespace) as unknown as Json | undefined;
  }

  start(): void {
    if (this.stopped) return;
    this.attemptFailed = false;
    this.informer.start().then(
      () => {
        // start() also resolves after a failed list; only an attempt that
        // listed (or resumed its watch) without an error counts.
        if (this.attemptFailed) return;
        this.hasSynced = true;
        this.failingSince = undefined;
        this.waitMs = this.retry.initialMs;
      },
      (err: unknown) => this.failed(err),
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    await this.informer.stop();
  }

  private failed(err: unknown): void {
    this.attemptFailed = true;
    this.failingSince ??= Date.now();
    if (this.stopped) return;
    this.logger.warn(
      { kind: this.resource.kind, reason: describe(err), retryMs: this.waitMs },
      'cluster watch failed; retrying',
    );
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.start(), this.waitMs);
    this.retryTimer.unref();
    this.waitMs = Math.min(this.waitMs * 2, this.retry.maxMs);
  }

  /** Lists every page of the collection and stamps kind on each item. */
  private async listAll(
    kubeConfig: KubeConfig,
  ): Promise<KubernetesListObject<KubernetesObject>> {
    const items: KubernetesObject[] = [];
    let resourceVersion = '';
    let next = '';
    do {
      const page = await getJson(kubeConfig, this.pagePath(next));
      const pageItems = Array.isArray(page.items) ? page.items : [];
      for (const item of pageItems as Json[]) {
        const metadata = item.metadata as Json | undefined;
        if (metadata) delete metadata.managedFields;
        items.push({
          ...item,
          apiVersion: this.resource.apiVersion,
          kind: this.resource.kind,
        } as KubernetesObject);
      }
      const meta = (page.metadata ?? {}) as Json;
      resourceVersion = String(meta.resourceVersion ?? '');
      next = typeof meta.continue === 'string' ? meta.continue : '';
    } while (next !== '');
    return {
      apiVersion: 'v1',
      kind: 'List',
      items,
      metadata: { resourceVersion },
    };
  }

  private pagePath(next: string): string {
    const query = new URLSearchParams({ limit: '500' });
    if (next) query.set('continue', next);
    return `${collectionPath(this.resource)}?${query.toString()}`;
  }
}

const LIST_TIMEOUT_MS = 60_000;

// LIMITATION: within this window a replica answers from a view that may
// be missing recent objects; past it, /readyz turns unready until a list
// succeeds. Requests already routed to it are still judged on that view.
const STALE_AFTER_MS = 30_000;

async function getJson(kubeConfig: KubeConfig, path: string): Promise<Json> {
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) throw new Error('kubeconfig names no current cluster');
  const url = new URL(cluster.server + path);
  const options: Parameters<KubeConfig['applyToHTTPSOptions']>[0] = {
    method: 'GET',
    headers: { accept: 'application/json' },
  };
  await kubeConfig.applyToHTTPSOptions(options);
  return new Promise((resolve, reject) => {
    const req = request(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== 200) {
          const err = new Error(`list ${url.pathname}: HTTP ${res.statusCode}`);
          Object.assign(err, { statusCode: res.statusCode });
          reject(err);
          return;
        }
        try {
          resolve(JSON.parse(body) as Json);
        } catch (cause) {
          reject(new Error(`list ${url.pathname}: not JSON`, { cause }));
        }
      });
    });
    req.setTimeout(LIST_TIMEOUT_MS, () =>
      req.destroy(new Error(`list ${url.pathname}: timed out`)),
    );
    req.on('error', reject);
    req.end();
  });
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'object' && err !== null && 'message' in err) {
    return String((err as { message: unknown }).message);
  }
  return String(err);
}
