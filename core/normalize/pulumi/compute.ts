/**
 * Machines that may run models: EC2 instances and launch templates. An
 * accelerator instance type counts as a requested accelerator, and block
 * devices are checked for deletion on termination.
 */
import type { Device, PodTemplate } from '../types';
import {
  awsTags,
  bool,
  cloudObject,
  list,
  named,
  normalizeTags,
  obj,
  str,
  type Input,
} from './resource';
import type { Mapper } from './mappers';

/** Instance families and the accelerator each carries. */
const ACCELERATOR_FAMILIES: readonly [RegExp, string][] = [
  [/^(p\d|g\d)/, 'nvidia.com/gpu'],
  [/^(inf|trn)\d/, 'aws.amazon.com/neuron'],
  [/^dl1\./, 'habana.ai/gaudi'],
];

export function acceleratorOf(instanceType: unknown): string[] {
  if (typeof instanceType !== 'string') return [];
  const hit = ACCELERATOR_FAMILIES.find(([re]) => re.test(instanceType));
  return hit ? [hit[1]] : [];
}

function machineTemplate(instanceType: unknown): PodTemplate {
  return {
    specPath: 'spec',
    labels: {},
    annotations: {},
    volumes: [],
    resources: acceleratorOf(instanceType),
    env: [],
  };
}

function ebsDevice(
  device: Record<string, unknown>,
  path: string,
  name: string,
  defaultDeletes: boolean,
): Device {
  return {
    path: `${path}.deleteOnTermination`,
    kind: 'ebs',
    name: str(device.deviceName) ?? name,
    deleteOnTermination: bool(device.deleteOnTermination),
    defaultDeletes,
  };
}

/** EC2 deletes an instance's root and EBS block devices by default. */
const instance: Mapper = (input) => {
  const { value } = input;
  const devices = list(value.ebsBlockDevices).map((d, i) =>
    ebsDevice(d, `ebsBlockDevices[${i}]`, `#${i}`, true),
  );
  if (value.rootBlockDevice !== undefined) {
    devices.push(
      ebsDevice(obj(value.rootBlockDevice), 'rootBlockDevice', 'root', true),
    );
  }
  return machine(input, awsTags(input), value.instanceType, devices);
};

/**
 * A launch template that leaves deleteOnTermination unset defers to the
 * image's mapping, which modelgate cannot see, so only `true` counts.
 */
const launchTemplate: Mapper = (input) => {
  const { value } = input;
  const devices = list(value.blockDeviceMappings)
    .map((m, i) => ({ m, i }))
    .filter(({ m }) => m.ebs !== undefined)
    .map(({ m, i }) =>
      ebsDevice(
        { ...obj(m.ebs), deviceName: m.deviceName },
        `blockDeviceMappings[${i}].ebs`,
        `#${i}`,
        false,
      ),
    );
  const specTags = list(value.tagSpecifications)
    .filter((s) => ['instance', 'volume'].includes(String(s.resourceType)))
    .map((s) => s.tags);
  const labels = { ...normalizeTags(...specTags), ...awsTags(input) };
  return machine(input, labels, value.instanceType, devices);
};

function machine(
  input: Input,
  labels: Record<string, string>,
  instanceType: unknown,
  devices: Device[],
) {
  return cloudObject(input, {
    labels,
    templates: [machineTemplate(instanceType)],
    cloud: {
      role: 'compute',
      tagsPath: 'tags',
      ids: named(input, 'id'),
      devices,
    },
  });
}

export const computeMappers: Record<string, Mapper> = {
  'aws:ec2/instance:Instance': instance,
  'aws:ec2/launchTemplate:LaunchTemplate': launchTemplate,
};
