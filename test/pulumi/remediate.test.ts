/**
 * Remediate through the analyzer protocol: with a policy at `remediate`,
 * the safe fixes come back as new properties; nothing is invented that
 * config did not give, and signatures and rate limits are never touched.
 */
import type {
  Analyzer,
  TestResource,
} from '../../pulumi-policies/engine-client';
import { configureAll } from './support/configure';
import { buildPack, startBuiltPack } from './support/pack';
import {
  CONTRACT,
  cloud,
  fromManifest,
  modelDeployment,
  rulesOf,
} from './support/resources';

const IMAGE = 'quay.example/ml/llm@sha256:' + '1'.repeat(64);
const MODEL_DATA = {
  'modelgate.io/model-data': 'true',
  'modelgate.io/data-custodian': 'ml-platform',
};
const REMEDIATE = {
  'modelgate-wipe': 'remediate',
  'modelgate-decommission': 'remediate',
  'modelgate-rate-limit': 'remediate',
} as const;

describe('remediation through the analyzer protocol', () => {
  let pack: Analyzer;
  const base = { rules: { 'MG-PROV': 'off' } };

  beforeAll(async () => {
    pack = await startBuiltPack(buildPack());
    await configureAll(
      pack,
      {
        ...base,
        remediation: { dataCustodian: 'ml-platform', decommission: 'wipe' },
      },
      REMEDIATE,
    );
  }, 240_000);
  afterAll(() => pack?.close());

  /** Remediates, then analyzes the result as the engine would next. */
  async function fixed(r: TestResource) {
    const remediations = await pack.remediate(r);
    const last = [...remediations].reverse().find((x) => x.props);
    const props = last?.props ?? r.props;
    const after = await pack.analyze({ ...r, props });
    return {
      remediations,
      props: props as any,
      after: rulesOf(after.diagnostics),
    };
  }

  const pv = (policy: string) =>
    fromManifest('r', {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'weights', labels: MODEL_DATA },
      spec: {
        capacity: { storage: '10Gi' },
        persistentVolumeReclaimPolicy: policy,
        csi: { driver: 'ebs.csi.aws.com', volumeHandle: 'vol-1' },
      },
    });

  it.each([
    [
      'a model-data PV that retains',
      pv('Retain'),
      (p: any) => p.spec.persistentVolumeReclaimPolicy,
      'Delete',
    ],
    [
      'a model-data StorageClass that retains',
      fromManifest('r', {
        apiVersion: 'storage.k8s.io/v1',
        kind: 'StorageClass',
        metadata: { name: 'keep', labels: MODEL_DATA },
        provisioner: 'ebs.csi.aws.com',
        reclaimPolicy: 'Retain',
      }),
      (p: any) => p.reclaimPolicy,
      'Delete',
    ],
    [
      'a model-data bucket without forceDestroy',
      cloud('r', 'aws:s3/bucket:Bucket', 'weights', {
        bucket: 'w',
        tags: MODEL_DATA,
      }),
      (p: any) => p.forceDestroy,
      true,
    ],
    [
      'a model instance whose volume outlives it',
      cloud('r', 'aws:ec2/instance:Instance', 'gpu', {
        instanceType: 'g5.xlarge',
        tags: CONTRACT,
        ebsBlockDevices: [
          { deviceName: '/dev/sdf', deleteOnTermination: false },
        ],
      }),
      (p: any) => p.ebsBlockDevices[0].deleteOnTermination,
      true,
    ],
    [
      'a model launch template that leaves deletion to the image',
      cloud('r', 'aws:ec2/launchTemplate:LaunchTemplate', 'gpu', {
        instanceType: 'p4d.24xlarge',
        tags: CONTRACT,
        blockDeviceMappings: [
          { deviceName: '/dev/xvda', ebs: { volumeSize: 200 } },
        ],
      }),
      (p: any) => p.blockDeviceMappings[0].ebs.deleteOnTermination,
      'true',
    ],
  ])('fixes %s', async (_what, resource, read, value) => {
    const { remediations, props, after } = await fixed(resource);
    expect(remediations.map((r) => r.policy)).toEqual(['modelgate-wipe']);
    expect(read(props)).toEqual(value);
    expect(after.filter((r) => r.startsWith('MG-WIPE'))).toEqual([]);
  });

  it('fills in missing labels from config, and leaves the rate limit alone', async () => {
    const manifest = modelDeployment(IMAGE, {
      labels: { app: 'llm', 'modelgate.io/model': 'true' },
      annotations: {},
    });
    manifest.metadata = {
      ...manifest.metadata,
      annotations: { token: { $secret: 'hush' } },
    } as any;
    const { remediations, props, after } = await fixed(
      fromManifest('r', manifest),
    );
    expect(remediations.map((r) => r.policy)).toEqual([
      'modelgate-decommission',
    ]);
    expect(props.metadata.labels).toEqual({
      'modelgate.io/data-custodian': 'ml-platform',
      'modelgate.io/decommission': 'wipe',
    });
    expect(props.metadata.annotations.token).toEqual({ $secret: 'hush' });
    expect(props.spec.template.metadata.annotations).toEqual({});
    expect(props.spec.template.spec.containers[0].image).toBe(IMAGE);
    expect(after).toEqual(['MG-RATE-001']);
  });

  it('invents no label that config did not give', async () => {
    await configureAll(pack, base, REMEDIATE);
    try {
      const manifest = modelDeployment(IMAGE, {
        labels: { app: 'llm', 'modelgate.io/model': 'true' },
      });
      expect(await pack.remediate(fromManifest('r2', manifest))).toEqual([]);
    } finally {
      await configureAll(
        pack,
        {
          ...base,
          remediation: { dataCustodian: 'ml-platform', decommission: 'wipe' },
        },
        REMEDIATE,
      );
    }
  });

  it('changes nothing that is unknown at preview', async () => {
    const bucket = cloud('r', 'aws:s3/bucket:Bucket', 'w2', {
      bucket: 'w2',
      forceDestroy: { $unknown: 'bool' },
      tags: MODEL_DATA,
    });
    expect(await pack.remediate(bucket)).toEqual([]);
  });

  it('runs no remediation for a policy not set to remediate', async () => {
    await configureAll(pack, base);
    try {
      expect(await pack.remediate(pv('Retain'))).toEqual([]);
    } finally {
      await configureAll(
        pack,
        {
          ...base,
          remediation: { dataCustodian: 'ml-platform', decommission: 'wipe' },
        },
        REMEDIATE,
      );
    }
  });
});
