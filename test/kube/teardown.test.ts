/**
 * Teardown end to end: deleting model data, and a StorageClass that would
 * keep it, refused by a real kube-apiserver through the webhook, with the
 * claims, volumes and workloads read from the webhook's watches.
 */
import { missingTools } from '../support/kube';
import {
  DENIED_BY,
  expectVerdict,
  must,
  startE2e,
  untilJudged,
  type E2e,
  type Send,
} from '../support/kube-e2e';
import {
  MODEL_DATA,
  REGISTRY,
  claimVolume,
  deployment,
  namespace,
  pv,
  pvc,
  storageClass,
} from '../support/kube-manifests';
import { buildDist, type Replica } from '../support/kube-webhook';

const missing = missingTools(['etcd', 'kube-apiserver', 'kubectl', 'helm']);
if (missing) console.warn(`skipping kube teardown e2e: ${missing}`);
const suite = missing ? describe.skip : describe;
jest.setTimeout(240_000);

const CONFIG = [
  'rules: { MG-PROV: off }',
  `registries: [{ host: '${REGISTRY}', insecure: true }]`,
].join('\n');

suite('teardown through a real kube-apiserver', () => {
  let e2e: E2e;
  let webhook: Replica;

  beforeAll(async () => {
    buildDist();
    e2e = await startE2e([namespace('ml')]);
    webhook = await e2e.replica(CONFIG);
    await e2e.register(`https://127.0.0.1:${webhook.port}/validate`);
    await must(e2e.apply(storageClass('keep', 'Retain')));
  }, 600_000);

  afterAll(async () => {
    await e2e?.stop();
  }, 120_000);

  const untilSeen = (send: Send, text: string) =>
    untilJudged(webhook, send, text);

  describe('when model data is deleted', () => {
    it('refuses deleting a model-data claim whose StorageClass retains, and allows other deletes', async () => {
      await must(
        e2e.apply([
          pvc('ml', 'data-kept', {
            storageClassName: 'keep',
            labels: MODEL_DATA,
          }),
          pvc('ml', 'scratch', { storageClassName: 'keep' }),
        ]),
      );
      await untilSeen(
        () =>
          e2e.kubectl([
            'delete',
            'pvc',
            'data-kept',
            '-n',
            'ml',
            '--dry-run=server',
          ]),
        'MG-WIPE-006',
      );
      const r = await e2e.kubectl(['delete', 'pvc', 'data-kept', '-n', 'ml']);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(DENIED_BY);
      expect(r.stderr).toContain(
        '[MG-WIPE-006] metadata: deleting claim data-kept would leave its model data behind (StorageClass keep has reclaimPolicy Retain)',
      );
      expect(
        // Without a controller manager nothing lifts the claim's protection
        // finalizer, so kubectl is not asked to wait for it to go.
        await e2e.kubectl([
          'delete',
          'pvc',
          'scratch',
          '-n',
          'ml',
          '--wait=false',
        ]),
      ).toMatchObject({ code: 0 });
    });

    it('refuses deleting a retained PersistentVolume bound to a model-data claim', async () => {
      await must(
        e2e.apply([
          pv('held', {
            reclaimPolicy: 'Delete',
            claim: { namespace: 'ml', name: 'held-claim' },
          }),
          pvc('ml', 'held-claim', {
            storageClassName: '',
            volumeName: 'held',
            labels: MODEL_DATA,
          }),
        ]),
      );
      // Switching the volume to Retain is itself refused once it holds model data.
      await untilSeen(
        () =>
          e2e.kubectl([
            'patch',
            'pv',
            'held',
            '--dry-run=server',
            '-p',
            '{"spec":{"persistentVolumeReclaimPolicy":"Retain"}}',
          ]),
        'MG-WIPE-003',
      );
      await must(
        e2e.apply(
          pv('legacy', {
            reclaimPolicy: 'Retain',
            claim: { namespace: 'ml', name: 'legacy-claim' },
          }),
        ),
      );
      await must(
        e2e.apply(
          pvc('ml', 'legacy-claim', {
            storageClassName: '',
            volumeName: 'legacy',
            labels: MODEL_DATA,
          }),
        ),
      );
      await untilSeen(
        () => e2e.kubectl(['delete', 'pv', 'legacy', '--dry-run=server']),
        'MG-WIPE-006',
      );
      const r = await e2e.kubectl(['delete', 'pv', 'legacy']);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(
        '[MG-WIPE-006] spec.persistentVolumeReclaimPolicy: deleting PersistentVolume legacy would leave its model data on the backing storage (reclaimPolicy Retain)',
      );
    });
  });

  describe('when a StorageClass under a model workload turns to Retain', () => {
    it('refuses it, reading the claims and workloads that use the class', async () => {
      await must(
        e2e.apply([
          storageClass('shared', 'Delete'),
          pvc('ml', 'cache', { storageClassName: 'shared' }),
          deployment('ml', 'cached', {
            volumes: [claimVolume('cache', 'cache')],
          }),
        ]),
      );
      // reclaimPolicy is immutable, so the class is replaced: delete, create.
      await must(e2e.kubectl(['delete', 'storageclass', 'shared']));
      await untilSeen(
        () => e2e.apply(storageClass('shared', 'Retain'), true),
        'MG-WIPE-004',
      );
      const r = await e2e.create(storageClass('shared', 'Retain'));
      expectVerdict(r, {
        denied: ['MG-WIPE-004'],
        message:
          'StorageClass shared provisions model data with reclaimPolicy Retain',
      });
      expect(await e2e.create(storageClass('shared', 'Delete'))).toMatchObject({
        code: 0,
      });
    });
  });
});
