import { isModelgateError } from '../../core/errors';
import { normalize } from '../../core/normalize';

const pod = (spec: object) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'ns', labels: { a: 'b' } },
  spec,
});

describe('normalize', () => {
  describe('when the object carries pod specs', () => {
    it('finds images in every container list and in image volumes', () => {
      const o = normalize(
        pod({
          initContainers: [{ name: 'i', image: 'init:1' }],
          containers: [{ name: 'c', image: 'nginx' }],
          ephemeralContainers: [{ name: 'e', image: 'busybox:1.36' }],
          volumes: [
            { name: 'v', image: { reference: 'quay.io/crio/artifact:v2' } },
          ],
        }),
      );
      expect(o.images.map((i) => [i.role, i.path, i.ref])).toEqual([
        ['init', 'spec.initContainers[0].image', 'docker.io/library/init:1'],
        [
          'container',
          'spec.containers[0].image',
          'docker.io/library/nginx:latest',
        ],
        [
          'ephemeral',
          'spec.ephemeralContainers[0].image',
          'docker.io/library/busybox:1.36',
        ],
        [
          'volume',
          'spec.volumes[0].image.reference',
          'quay.io/crio/artifact:v2',
        ],
      ]);
    });

    it.each([
      [
        'Deployment',
        {
          template: {
            metadata: { labels: { x: 'y' } },
            spec: { containers: [{ image: 'a' }] },
          },
        },
        'spec.template.spec',
      ],
      [
        'ReplicaSet',
        {
          template: {
            metadata: { labels: { x: 'y' } },
            spec: { containers: [{ image: 'a' }] },
          },
        },
        'spec.template.spec',
      ],
      [
        'CronJob',
        {
          jobTemplate: {
            spec: {
              template: {
                metadata: { labels: { x: 'y' } },
                spec: { containers: [{ image: 'a' }] },
              },
            },
          },
        },
        'spec.jobTemplate.spec.template.spec',
      ],
    ])(
      'finds the pod template of a %s with its labels',
      (kind, spec, specPath) => {
        const o = normalize({
          apiVersion: 'apps/v1',
          kind,
          metadata: { name: 'w' },
          spec,
        });
        expect(o.templates).toHaveLength(1);
        expect(o.templates[0]?.specPath).toBe(specPath);
        expect(o.templates[0]?.labels).toEqual({ x: 'y' });
        expect(o.images[0]?.path).toBe(`${specPath}.containers[0].image`);
      },
    );

    it('marks Jobs, CronJobs and pods owned by Jobs as not serving', () => {
      const job = {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: {},
        spec: {},
      };
      const owned = {
        ...pod({ containers: [] }),
        metadata: { ownerReferences: [{ kind: 'Job', name: 'j' }] },
      };
      expect(normalize(job).serves).toBe(false);
      expect(normalize(owned).serves).toBe(false);
      expect(normalize(pod({ containers: [] })).serves).toBe(true);
    });

    it('lists volumes and extended resources', () => {
      const o = normalize(
        pod({
          containers: [
            {
              image: 'a',
              resources: { limits: { 'nvidia.com/gpu': 1, cpu: '1' } },
            },
          ],
          volumes: [
            { name: 'w', persistentVolumeClaim: { claimName: 'weights' } },
            { name: 'h', hostPath: { path: '/models' } },
          ],
        }),
      );
      expect(o.templates[0]?.resources).toEqual(['cpu', 'nvidia.com/gpu']);
      expect(o.templates[0]?.volumes).toEqual([
        {
          name: 'w',
          path: 'spec.volumes[0]',
          source: 'persistentVolumeClaim',
          claimName: 'weights',
          hostPath: undefined,
        },
        {
          name: 'h',
          path: 'spec.volumes[1]',
          source: 'hostPath',
          claimName: undefined,
          hostPath: '/models',
        },
      ]);
    });
  });

  describe('when the object is a model-serving custom resource', () => {
    it('reads storageUri and treats oci:// as an image', () => {
      const isvc = {
        apiVersion: 'serving.kserve.io/v1beta1',
        kind: 'InferenceService',
        metadata: { name: 'm' },
        spec: {
          predictor: {
            model: { storageUri: 'gs://bucket/model' },
            transformer: {
              storageUri: `oci://registry.example.com/m@sha256:${'b'.repeat(64)}`,
            },
          },
        },
      };
      const o = normalize(isvc);
      expect(o.modelUris).toEqual([
        {
          path: 'spec.predictor.model.storageUri',
          uri: 'gs://bucket/model',
          scheme: 'gs',
        },
      ]);
      expect(o.images[0]?.role).toBe('model-uri');
      expect(o.images[0]?.digest).toBe(`sha256:${'b'.repeat(64)}`);
    });

    it('walks unknown kinds for nested pod specs', () => {
      const ray = {
        apiVersion: 'ray.io/v1',
        kind: 'RayService',
        metadata: { name: 'r' },
        spec: {
          rayClusterConfig: {
            workerGroupSpecs: [
              {
                template: {
                  spec: {
                    containers: [{ name: 'w', image: 'rayproject/ray-ml:2.9' }],
                  },
                },
              },
            ],
          },
        },
      };
      const o = normalize(ray);
      expect(o.images[0]?.path).toBe(
        'spec.rayClusterConfig.workerGroupSpecs[0].template.spec.containers[0].image',
      );
      expect(o.templates[0]?.specPath).toBe(
        'spec.rayClusterConfig.workerGroupSpecs[0].template.spec',
      );
    });

    it('ignores status and the data of ConfigMaps', () => {
      const o = normalize({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {},
        data: { image: 'x' },
        status: { image: 'y' },
      });
      expect(o.images).toEqual([]);
    });
  });

  describe('when the object is storage or exposure', () => {
    it('defaults a PV without a policy to Retain, as the API server does', () => {
      const o = normalize({
        apiVersion: 'v1',
        kind: 'PersistentVolume',
        metadata: { name: 'v' },
        spec: { hostPath: { path: '/d' } },
      });
      expect(o.storage).toEqual({
        type: 'pv',
        reclaimPolicy: 'Retain',
        storageClassName: undefined,
        claim: undefined,
        source: 'hostPath',
      });
    });

    it('defaults a StorageClass without a policy to Delete', () => {
      const o = normalize({
        apiVersion: 'storage.k8s.io/v1',
        kind: 'StorageClass',
        metadata: { name: 's' },
        provisioner: 'x',
      });
      expect(o.storage?.reclaimPolicy).toBe('Delete');
    });

    it('lists Ingress and HTTPRoute backends', () => {
      const ing = normalize({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: 'i' },
        spec: {
          rules: [
            { http: { paths: [{ backend: { service: { name: 's' } } }] } },
          ],
        },
      });
      expect(ing.exposure?.backends).toEqual([
        {
          path: 'spec.rules[0].http.paths[0].backend',
          kind: 'Service',
          group: '',
          name: 's',
        },
      ]);
      const route = normalize({
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: { name: 'r' },
        spec: {
          parentRefs: [{ name: 'gw' }],
          rules: [{ backendRefs: [{ kind: 'InferencePool', name: 'pool' }] }],
        },
      });
      expect(route.exposure?.parents).toEqual([{ name: 'gw', namespace: '' }]);
      expect(route.exposure?.backends[0]?.kind).toBe('InferencePool');
    });

    it('reads StatefulSet claim templates and their retention', () => {
      const o = normalize({
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: 's' },
        spec: {
          volumeClaimTemplates: [
            { metadata: { name: 'w' }, spec: { storageClassName: 'keep' } },
          ],
          template: { spec: { containers: [{ image: 'a' }] } },
        },
      });
      expect(o.claimTemplates).toEqual([
        {
          name: 'w',
          path: 'spec.volumeClaimTemplates[0]',
          storageClassName: 'keep',
        },
      ]);
      expect(o.claimRetention).toEqual({
        whenDeleted: 'Retain',
        whenScaled: 'Retain',
      });
    });

    it('reads the class of a generic ephemeral volume', () => {
      const o = normalize(
        pod({
          containers: [{ image: 'a' }],
          volumes: [
            {
              name: 'scratch',
              ephemeral: {
                volumeClaimTemplate: { spec: { storageClassName: 'fast' } },
              },
            },
          ],
        }),
      );
      expect(o.templates[0]?.volumes[0]?.storageClassName).toBe('fast');
    });

    it('reads a Scale request against its old replicas', () => {
      const scale = (n: number) => ({
        apiVersion: 'autoscaling/v1',
        kind: 'Scale',
        metadata: { name: 'd' },
        spec: { replicas: n },
      });
      expect(normalize(scale(2), { old: scale(0) }).scale).toEqual({
        replicas: 2,
        oldReplicas: 0,
      });
    });
  });

  describe('when the input is not an object with kind and apiVersion', () => {
    it.each([
      [null],
      [[]],
      ['text'],
      [{ kind: 'Pod' }],
      [{ apiVersion: 'v1' }],
    ])('rejects %j with INPUT_INVALID', (raw) => {
      expect.assertions(1);
      try {
        normalize(raw);
      } catch (err) {
        expect(isModelgateError(err, 'INPUT_INVALID')).toBe(true);
      }
    });

    it('refuses very deep nesting whole, without overflowing', () => {
      let deep: Record<string, unknown> = { image: 'deep' };
      for (let i = 0; i < 5000; i++) deep = { x: deep };
      expect(() =>
        normalize({
          apiVersion: 'x/v1',
          kind: 'Deep',
          metadata: {},
          spec: deep,
        }),
      ).toThrow(expect.objectContaining({ code: 'INPUT_TOO_LARGE' }));
    });

    it('refuses an object with more images than any real workload', () => {
      const containers = Array.from({ length: 300 }, (_, i) => ({
        name: `c${i}`,
        image: 'a',
      }));
      expect(() => normalize(pod({ containers }))).toThrow(
        expect.objectContaining({ code: 'INPUT_TOO_LARGE' }),
      );
    });

    it('reads an image given in parts, as operators such as NIM take it', () => {
      const o = normalize({
        apiVersion: 'apps.nvidia.com/v1alpha1',
        kind: 'NIMService',
        metadata: { name: 'n' },
        spec: { image: { repository: 'nvcr.io/nim/meta/llama3', tag: '1.0' } },
      });
      expect(o.images[0]?.ref).toBe('nvcr.io/nim/meta/llama3:1.0');
    });

    it('cuts a huge raw reference in what it quotes', () => {
      const o = normalize(
        pod({ containers: [{ image: 'x'.repeat(100_000) }] }),
      );
      expect(o.images[0]?.raw.length).toBeLessThan(210);
    });
  });
});
