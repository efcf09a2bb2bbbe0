import {
  SECRET_SIG,
  SIG_KEY,
  coveredTypes,
  decodeProperties,
  isPulumiResource,
  normalize,
  normalizePulumi,
  pulumiTypeClass,
  resolveStackReferences,
  type PulumiResource,
} from '../../core/normalize';
import { UNKNOWN, toWire } from '../../pulumi-policies/engine-client';
import { modelDeployment, urnOf } from './support/resources';

const secret = (value: unknown) => ({ [SIG_KEY]: SECRET_SIG, value });

const resource = (
  type: string,
  props: Record<string, unknown>,
  extra: Partial<PulumiResource> = {},
): PulumiResource => ({
  type,
  name: 'r',
  urn: urnOf('dev', type, 'r'),
  props: toWire(props) as Record<string, unknown>,
  ...extra,
});

describe('decodeProperties', () => {
  it.each(Object.entries(UNKNOWN))(
    'leaves out the %s sentinel and names its path',
    (_k, s) => {
      const d = decodeProperties({ a: { b: [1, s] }, c: s });
      expect(d.value).toEqual({ a: { b: [1] } });
      expect(d.unknown).toEqual(['a.b[1]', 'c']);
    },
  );

  it('quotes keys that are not identifiers, as findings do', () => {
    const d = decodeProperties({
      labels: { 'modelgate.io/model': UNKNOWN.string },
    });
    expect(d.unknown).toEqual(['labels["modelgate.io/model"]']);
  });

  describe('when a value is a secret', () => {
    const props = { labels: { owner: secret('ml-team') } };

    it('defers it by default, like an unknown value', () => {
      const d = decodeProperties(props);
      expect(d.value).toEqual({ labels: {} });
      expect(d.unknown).toEqual(['labels.owner']);
      expect(d.secret).toEqual(['labels.owner']);
    });

    it('reads it when asked, remembering the value to mask', () => {
      const d = decodeProperties(props, 'read');
      expect(d.value).toEqual({ labels: { owner: 'ml-team' } });
      expect(d.unknown).toEqual([]);
      expect(d.secretValues).toEqual(['ml-team']);
    });
  });

  it('reads output values and resource references as the engine may send them', () => {
    const out = 'd0e6a833031e9bbcd3f4e8bde6ca49a4';
    const ref = '5cf8f73096256a8f31e491e813e4eb8e';
    const d = decodeProperties({
      known: { [SIG_KEY]: out, value: 'x' },
      unknown: { [SIG_KEY]: out },
      bucket: { [SIG_KEY]: ref, urn: 'urn:b', id: 'weights' },
    });
    expect(d.value).toEqual({ known: 'x', bucket: 'weights' });
    expect(d.unknown).toEqual(['unknown']);
  });

  it('stops at a bounded depth instead of recursing without end', () => {
    let deep: Record<string, unknown> = { leaf: 'x' };
    for (let i = 0; i < 100; i++) deep = { d: deep };
    expect(() => decodeProperties(deep)).not.toThrow();
  });
});

describe('normalizePulumi', () => {
  it('normalizes a Kubernetes resource exactly as the object itself', () => {
    const manifest = modelDeployment('vllm/vllm-openai:v0.6.3');
    const viaPulumi = normalizePulumi(
      resource('kubernetes:apps/v1:Deployment', manifest),
    );
    const { urn, uses, unknown, secret: s, ...rest } = viaPulumi;
    expect(rest).toEqual(normalize(manifest));
    expect([urn, uses, unknown, s]).toEqual([
      urnOf('dev', 'kubernetes:apps/v1:Deployment', 'r'),
      [],
      [],
      [],
    ]);
  });

  it('names an autonamed object by its logical name', () => {
    const o = normalizePulumi(
      resource('kubernetes:core/v1:PersistentVolumeClaim', { spec: {} }),
    );
    expect([o.kind, o.name]).toEqual(['PersistentVolumeClaim', 'r']);
  });

  it.each([
    ['kubernetes:apps/v1:Deployment', 'kubernetes'],
    ['kubernetes:serving.kserve.io/v1beta1:InferenceService', 'kubernetes'],
    ['kubernetes:helm.sh/v3:Chart', 'component'],
    ['kubernetes:yaml/v2:ConfigGroup', 'component'],
    ['kubernetes:helm.sh/v3:Release', 'unmapped'],
    ['pulumi:providers:aws', 'component'],
    ['aws:s3/bucket:Bucket', 'cloud'],
    ['aws:iam/role:Role', 'unmapped'],
  ])('classes %s as %s', (type, cls) => {
    expect(pulumiTypeClass(type)).toBe(cls);
  });

  it('maps every covered cloud type to a role the rules know', () => {
    for (const type of coveredTypes()) {
      const o = normalizePulumi(resource(type, {}));
      expect([type, o.cloud?.role]).not.toEqual([type, 'unmapped']);
      expect(o.namespace).toBe('pulumi:dev');
    }
  });

  it('reads tags in both spellings, with the provider defaults', () => {
    const o = normalizePulumi(
      resource(
        'gcp:storage/bucket:Bucket',
        { name: 'w', labels: { 'modelgate-io_model-data': 'true' } },
        {
          provider: {
            type: 'pulumi:providers:gcp',
            props: { defaultLabels: { team: 'ml' } },
          },
        },
      ),
    );
    expect(o.labels).toEqual({ team: 'ml', 'modelgate.io/model-data': 'true' });
    expect(o.cloud?.address).toEqual({ scheme: 'gs', name: 'w' });
  });

  it('reads an ECS task definition as a pod template', () => {
    const o = normalizePulumi(
      resource('aws:ecs/taskDefinition:TaskDefinition', {
        containerDefinitions: JSON.stringify([
          {
            name: 'tgi',
            image: 'ghcr.io/huggingface/text-generation-inference:2.0',
            environment: [{ name: 'HF_TOKEN', value: 'x' }],
            resourceRequirements: [{ type: 'GPU', value: '1' }],
            portMappings: [{ containerPort: 80 }],
          },
        ]),
        volumes: [
          { name: 'cache', dockerVolumeConfiguration: { scope: 'shared' } },
        ],
      }),
    );
    expect(o.images.map((i) => i.path)).toEqual([
      'containerDefinitions[0].image',
    ]);
    expect(o.templates[0]).toMatchObject({
      resources: ['nvidia.com/gpu'],
      env: ['HF_TOKEN'],
    });
    expect(o.serves).toBe(true);
    expect(o.cloud?.devices).toEqual([
      expect.objectContaining({ kind: 'docker', deleteOnTermination: false }),
    ]);
  });

  it('counts an accelerator instance type as a requested accelerator', () => {
    const o = normalizePulumi(
      resource('aws:ec2/launchTemplate:LaunchTemplate', {
        instanceType: 'p4d.24xlarge',
        blockDeviceMappings: [
          { deviceName: '/dev/xvda', ebs: { deleteOnTermination: 'false' } },
        ],
      }),
    );
    expect(o.templates[0]?.resources).toEqual(['nvidia.com/gpu']);
    expect(o.cloud?.devices[0]).toMatchObject({
      path: 'blockDeviceMappings[0].ebs.deleteOnTermination',
      deleteOnTermination: false,
      defaultDeletes: false,
    });
  });

  it('records a SageMaker artifact as a model URI', () => {
    const o = normalizePulumi(
      resource('aws:sagemaker/model:Model', {
        primaryContainer: {
          image: 'x/y@sha256:' + 'a'.repeat(64),
          modelDataUrl: 's3://w/m.tar.gz',
        },
      }),
    );
    expect(o.modelUris).toEqual([
      {
        path: 'primaryContainer.modelDataUrl',
        uri: 's3://w/m.tar.gz',
        scheme: 's3',
      },
    ]);
  });
});

describe('isPulumiResource', () => {
  it('tells a Pulumi resource from a Kubernetes object', () => {
    expect(
      isPulumiResource({ type: 'aws:s3/bucket:Bucket', name: 'b', props: {} }),
    ).toBe(true);
    expect(
      isPulumiResource({
        apiVersion: 'v1',
        kind: 'Pod',
        type: 'x:y',
        name: 'p',
        props: {},
      }),
    ).toBe(false);
  });
});

describe('resolveStackReferences', () => {
  const sc = resource('kubernetes:storage.k8s.io/v1:StorageClass', {
    metadata: { name: 'keep' },
  });
  const pvc = (deps: string[]) =>
    resource(
      'kubernetes:core/v1:PersistentVolumeClaim',
      {
        metadata: { name: 'w' },
        spec: { storageClassName: { $unknown: true } },
      },
      { urn: 'urn:pvc', propertyDependencies: { spec: deps } },
    );

  it('names what an unknown reference depends on', () => {
    const [, resolved] = resolveStackReferences([
      { ...sc, urn: 'urn:sc' },
      pvc(['urn:sc']),
    ]);
    expect((resolved!.props.spec as any).storageClassName).toBe('keep');
  });

  it('leaves it unknown when nothing of that kind is depended on', () => {
    const [, resolved] = resolveStackReferences([
      { ...sc, urn: 'urn:sc' },
      pvc([]),
    ]);
    expect((resolved!.props.spec as any).storageClassName).toBe(UNKNOWN.string);
  });
});
