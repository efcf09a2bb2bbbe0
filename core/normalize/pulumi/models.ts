/**
 * Cloud services that hold or serve models: SageMaker, ECS task
 * definitions, Vertex AI and Azure Machine Learning.
 */
import { imageUse } from '../walk';
import type { Device, ImageUse, ModelUri } from '../types';
import {
  awsTags,
  cloudObject,
  list,
  normalizeTags,
  obj,
  named,
  providerTags,
  str,
} from './resource';
import type { Mapper } from './mappers';

type Json = Record<string, unknown>;

function modelUri(path: string, uri: string): ModelUri {
  const match = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(uri);
  return { path, uri, scheme: match?.[1]?.toLowerCase() ?? '' };
}

/** A SageMaker container: its image and where its artifact comes from. */
function sagemakerContainer(
  container: Json,
  path: string,
  images: ImageUse[],
  uris: ModelUri[],
): void {
  const image = str(container.image);
  if (image) {
    images.push(imageUse(image, `${path}.image`, 'container', undefined));
  }
  const data = str(container.modelDataUrl);
  if (data) uris.push(modelUri(`${path}.modelDataUrl`, data));
  const s3 = obj(obj(container.modelDataSource).s3DataSource);
  const s3Uri = str(s3.s3Uri);
  if (s3Uri) {
    uris.push(modelUri(`${path}.modelDataSource.s3DataSource.s3Uri`, s3Uri));
  }
}

const sagemakerModel: Mapper = (input) => {
  const images: ImageUse[] = [];
  const uris: ModelUri[] = [];
  const primary = obj(input.value.primaryContainer);
  sagemakerContainer(primary, 'primaryContainer', images, uris);
  list(input.value.containers).forEach((c, i) =>
    sagemakerContainer(c, `containers[${i}]`, images, uris),
  );
  return cloudObject(input, {
    labels: awsTags(input),
    images,
    modelUris: uris,
    cloud: { role: 'model', tagsPath: 'tags', ids: named(input) },
  });
};

const sagemakerServing =
  (serves: boolean): Mapper =>
  (input) =>
    cloudObject(input, {
      labels: awsTags(input),
      serves,
      cloud: { role: 'model', tagsPath: 'tags', ids: named(input) },
    });

/** ECS: a GPU requirement is an accelerator, like a pod's `nvidia.com/gpu`. */
const ECS_ACCELERATORS: Record<string, string> = {
  GPU: 'nvidia.com/gpu',
  InferenceAccelerator: 'aws.amazon.com/neuron',
};

function containerDefinitions(value: unknown): Json[] {
  if (typeof value !== 'string') return list(value);
  try {
    return list(JSON.parse(value));
  } catch {
    return [];
  }
}

const ecsTaskDefinition: Mapper = (input) => {
  const containers = containerDefinitions(input.value.containerDefinitions);
  const images = containers.flatMap((c, i) => {
    const image = str(c.image);
    const path = `containerDefinitions[${i}].image`;
    return image ? [imageUse(image, path, 'container', c.name)] : [];
  });
  const volumes = list(input.value.volumes);
  return cloudObject(input, {
    labels: awsTags(input),
    images,
    serves: containers.some((c) => list(c.portMappings).length > 0),
    templates: [
      {
        specPath: 'containerDefinitions',
        labels: normalizeTags(...containers.map((c) => c.dockerLabels)),
        annotations: {},
        volumes: volumes.map(ecsVolume),
        resources: ecsResources(containers),
        env: ecsEnv(containers),
      },
    ],
    cloud: {
      role: 'task',
      tagsPath: 'tags',
      ids: named(input),
      devices: volumes.flatMap(dockerDevice),
    },
  });
};

function ecsVolume(v: Json, i: number) {
  const path = `volumes[${i}]`;
  const name = str(v.name) ?? `#${i}`;
  const host = str(v.hostPath);
  if (host) return { name, path, source: 'hostPath', hostPath: host };
  const source = ['efsVolumeConfiguration', 'dockerVolumeConfiguration'].find(
    (k) => v[k] !== undefined,
  );
  return { name, path, source: source ?? 'emptyDir' };
}

function dockerDevice(v: Json, i: number): Device[] {
  const docker = v.dockerVolumeConfiguration;
  if (docker === undefined) return [];
  const scope = str(obj(docker).scope);
  return [
    {
      path: `volumes[${i}].dockerVolumeConfiguration.scope`,
      kind: 'docker',
      name: str(v.name) ?? `#${i}`,
      deleteOnTermination: scope === undefined ? undefined : scope === 'task',
      defaultDeletes: true,
    },
  ];
}

function ecsResources(containers: Json[]): string[] {
  const names = new Set<string>();
  for (const c of containers) {
    for (const r of list(c.resourceRequirements)) {
      const name = ECS_ACCELERATORS[String(r.type)];
      if (name) names.add(name);
    }
  }
  return [...names].sort();
}

function ecsEnv(containers: Json[]): string[] {
  const names = new Set<string>();
  for (const c of containers) {
    for (const e of list(c.environment)) {
      if (typeof e.name === 'string') names.add(e.name);
    }
  }
  return [...names].sort();
}

const vertexEndpoint: Mapper = (input) =>
  cloudObject(input, {
    labels: normalizeTags(
      ...providerTags(input.resource),
      input.value.effectiveLabels,
      input.value.labels,
    ),
    serves: true,
    cloud: { role: 'model', tagsPath: 'labels', ids: named(input) },
  });

/** A Model Garden deployment has no labels: the stack's tags stand in. */
const vertexModelGarden: Mapper = (input) => {
  const spec = obj(obj(input.value.modelConfig).containerSpec);
  const image = str(spec.imageUri);
  const hf = str(input.value.huggingFaceModelId);
  return cloudObject(input, {
    labels: normalizeTags(input.resource.stackTags),
    serves: true,
    images: image
      ? [
          imageUse(
            image,
            'modelConfig.containerSpec.imageUri',
            'container',
            undefined,
          ),
        ]
      : [],
    modelUris: hf ? [modelUri('huggingFaceModelId', `hf://${hf}`)] : [],
    cloud: { role: 'model', ids: [] },
  });
};

const azureMl =
  (serves: boolean): Mapper =>
  (input) =>
    cloudObject(input, {
      labels: normalizeTags(input.value.tags),
      serves,
      cloud: { role: 'model', tagsPath: 'tags', ids: named(input) },
    });

export const modelMappers: Record<string, Mapper> = {
  'aws:sagemaker/model:Model': sagemakerModel,
  'aws:sagemaker/endpointConfiguration:EndpointConfiguration':
    sagemakerServing(false),
  'aws:sagemaker/endpoint:Endpoint': sagemakerServing(true),
  'aws:ecs/taskDefinition:TaskDefinition': ecsTaskDefinition,
  'gcp:vertex/aiEndpoint:AiEndpoint': vertexEndpoint,
  'gcp:vertex/aiEndpointWithModelGardenDeployment:AiEndpointWithModelGardenDeployment':
    vertexModelGarden,
  'azure-native:machinelearningservices:OnlineEndpoint': azureMl(true),
  'azure-native:machinelearningservices:OnlineDeployment': azureMl(false),
};
