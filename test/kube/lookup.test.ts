/**
 * startClusterLookup in this process, through @kubernetes/client-node,
 * against a real API server: it syncs, then follows changes from its
 * watches alone.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { startClusterLookup, type ClusterView } from '../../admission/cluster';
import {
  missingTools,
  startControlPlane,
  type ControlPlane,
} from '../support/kube';
import {
  claimVolume,
  deployment,
  namespace,
  pvc,
  storageClass,
} from '../support/kube-manifests';
import { waitUntil } from '../support/kube-webhook';

const missing = missingTools(['etcd', 'kube-apiserver', 'kubectl']);
if (missing) console.warn(`skipping cluster lookup suite: ${missing}`);
const suite = missing ? describe.skip : describe;
jest.setTimeout(240_000);

suite('startClusterLookup', () => {
  let cp: ControlPlane;
  let lookup: ClusterView | undefined;
  const quiet = pino(
    { level: 'silent' },
    new Writable({ write: (_c, _e, done) => done() }),
  );

  beforeAll(async () => {
    cp = await startControlPlane();
  }, 300_000);
  afterAll(async () => {
    await lookup?.stop();
    await cp?.stop();
  }, 60_000);

  const apply = async (o: unknown, verb = 'apply') => {
    const r = await cp.kubectl([verb, '-f', '-'], JSON.stringify(o));
    if (r.code !== 0) throw new Error(r.stderr);
  };
  const model = deployment('ml', 'llm', {
    volumes: [claimVolume('w', 'weights')],
  });
  const relatedNames = async () =>
    (await lookup!.related({ namespace: 'ml', object: model })).map(
      (o: any) => `${o.kind}/${o.metadata.name}`,
    );

  it('syncs, then sees objects as they are created and deleted', async () => {
    await apply(namespace('ml'));
    lookup = startClusterLookup({
      kubeconfigFile: cp.kubeconfig,
      logger: quiet,
    });
    await waitUntil(
      async () => lookup!.synced(),
      () => false,
      'never synced',
    );
    expect(await relatedNames()).toEqual(['Namespace/ml']);

    await apply({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        storageClass('keep', 'Retain'),
        pvc('ml', 'weights', { storageClassName: 'keep' }),
      ],
    });
    await waitUntil(
      async () => (await relatedNames()).length === 3,
      () => false,
      'the watch never delivered the claim and its class',
    );
    const found = await lookup.related({ namespace: 'ml', object: model });
    expect(
      found.map((o: any) => [o.kind, o.apiVersion, o.metadata.name]),
    ).toEqual(
      expect.arrayContaining([
        ['Namespace', 'v1', 'ml'],
        ['PersistentVolumeClaim', 'v1', 'weights'],
        ['StorageClass', 'storage.k8s.io/v1', 'keep'],
      ]),
    );

    await cp.kubectl(['delete', 'storageclass', 'keep']);
    await waitUntil(
      async () => !(await relatedNames()).includes('StorageClass/keep'),
      () => false,
      'the watch never delivered the delete',
    );
  });
});
