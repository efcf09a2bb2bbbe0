/**
 * The verdict a platform engineer defends for every object of every corpus
 * file, judged one file at a time with the embedded default config and no
 * image signed by a trusted key. Rules are every rule id that fires.
 */
type Row = readonly [
  object: string,
  decision: 'allow' | 'warn' | 'deny',
  rules: string,
];

const WORKLOAD = 'MG-DECOM-001 MG-DECOM-002 MG-PROV-001 MG-PROV-002';

export const corpusExpectations: Readonly<
  Record<string, readonly Row[] | 'parse-error'>
> = {
  // Exports training data to GCS: no model server, accelerator or label.
  'GoogleCloudPlatform-ai-on-gke__ps-to-gcs-backup.yaml': [
    ['CronJob/ps-to-gcs-backup', 'allow', ''],
  ],
  // Triton with a GPU: unsigned tag, no labels, no rate limit.
  'GoogleCloudPlatform-kubernetes-engine-samples__deployment-triton.yaml': [
    ['Deployment/triton-deployment', 'deny', `${WORKLOAD} MG-RATE-001`],
  ],
  // A fine-tuning Job serves nothing, so no rate limit is asked of it.
  'GoogleCloudPlatform-kubernetes-engine-samples__fine-tune-l4-dws.yaml': [
    ['Service/headless-svc-l4', 'allow', ''],
    ['Job/finetune-gemma-l4', 'deny', WORKLOAD],
  ],
  'GoogleCloudPlatform-kubernetes-engine-samples__llama3-70b-text-generation-inference.yaml':
    [['Deployment/llm', 'deny', `${WORKLOAD} MG-RATE-001`]],
  // Published malformed: an unreadable manifest must fail, not pass.
  'GoogleCloudPlatform-kubernetes-engine-samples__producer-job.yaml':
    'parse-error',
  // Alone it selects nothing in view; with the Triton Deployment it is denied
  // (see the directory run).
  'GoogleCloudPlatform-kubernetes-engine-samples__service-triton.yaml': [
    ['Service/triton-service', 'allow', ''],
  ],
  // pvc:// model URI without a recorded hash; no images of its own.
  'SeldonIO-seldon-core__sdep-pvc.yaml': [
    [
      'SeldonDeployment/tfserving',
      'deny',
      'MG-DECOM-001 MG-DECOM-002 MG-PROV-004 MG-RATE-001',
    ],
  ],
  // Downloads a model with a plain shell image: nothing marks it as model
  // data, so it is out of scope until labelled modelgate.io/model-data.
  'awslabs-data-on-eks__download_models.yaml': [
    ['Namespace/stablediffusion', 'allow', ''],
    ['PersistentVolume/s3-pv-model-storage', 'allow', ''],
    ['PersistentVolumeClaim/s3-model-storage-claim', 'allow', ''],
    ['ConfigMap/shell-script-configmap', 'allow', ''],
    ['Job/shell-script-job', 'allow', ''],
  ],
  // The Ingress routes to Services the Ray operator creates, not in view.
  'awslabs-data-on-eks__ray-serve-stablediffusion-triton.yaml': [
    ['Namespace/stablediffusion', 'allow', ''],
    ['RayService/stablediffusion', 'deny', `${WORKLOAD} MG-RATE-001`],
    ['Ingress/stablediffusion', 'allow', ''],
  ],
  'kserve-kserve__llmisvc-single-gpu.yaml': [
    [
      'LLMInferenceService/qwen3-coder-tool-calling',
      'deny',
      `${WORKLOAD} MG-PROV-004 MG-RATE-001`,
    ],
  ],
  'kserve-kserve__model-pvc.yaml': [
    ['PersistentVolumeClaim/gpt-oss-20b-pvc', 'allow', ''],
  ],
  // Pulls gated weights with HF_TOKEN: handles model data, serves nothing.
  'kserve-kserve__model_weights_job.yaml': [
    ['Job/gpt-oss-20b-init-job', 'deny', `${WORKLOAD} MG-WIPE-007`],
  ],
  // Runtime-provided image: only the gs:// URI and the labels are judged.
  'kserve-kserve__torchserve-gpu.yaml': [
    [
      'InferenceService/torchserve-gpu',
      'deny',
      'MG-DECOM-001 MG-DECOM-002 MG-PROV-004 MG-RATE-001',
    ],
  ],
  'kserve-kserve__vllm-servingruntime.yaml': [
    ['ServingRuntime/kserve-vllmserver', 'deny', `${WORKLOAD} MG-RATE-001`],
  ],
  // An InferencePool backend is a model by definition; no rate-limit policy.
  'kubernetes-sigs-gateway-api-inference-extension__httproute.yaml': [
    ['HTTPRoute/llm-route', 'deny', 'MG-RATE-003'],
  ],
  'kubernetes-sigs-gateway-api-inference-extension__triton-deployment.yaml': [
    [
      'Deployment/llama-triton-deployment',
      'deny',
      `${WORKLOAD} MG-RATE-001 MG-WIPE-007`,
    ],
    ['Service/llama-triton-service', 'allow', ''],
  ],
  // A generic artifact mounted as an image volume: no model marker.
  'kubernetes-website__image-volumes.yaml': [['Pod/image-volume', 'allow', '']],
  'llm-d-incubation-llm-d-modelservice__output-pvc.yaml': [
    ['ServiceAccount/pvc-llm-d-modelservice', 'allow', ''],
    [
      'Deployment/pvc-llm-d-modelservice-decode',
      'deny',
      `${WORKLOAD} MG-RATE-001 MG-WIPE-007`,
    ],
    [
      'Deployment/pvc-llm-d-modelservice-prefill',
      'deny',
      `${WORKLOAD} MG-RATE-001 MG-WIPE-007`,
    ],
  ],
  'ollama-ollama__gpu.yaml': [
    ['Namespace/ollama', 'allow', ''],
    ['Deployment/ollama', 'deny', `${WORKLOAD} MG-RATE-001`],
    ['Service/ollama', 'allow', ''],
  ],
  // Default reclaimPolicy Delete and no model-data label.
  'pytorch-serve__Azure_file_sc.yaml': [
    ['StorageClass/my-azurefile', 'allow', ''],
  ],
  // Invalid claim (a PV's hostPath on a PVC); the API server rejects it.
  'pytorch-serve__local-pv.yaml': [
    ['PersistentVolumeClaim/model-store-claim', 'allow', ''],
  ],
  // hostPath model store on the node.
  'pytorch-serve__mnist-deployment.yaml': [
    ['Deployment/ts-def', 'deny', `${WORKLOAD} MG-RATE-001 MG-WIPE-001`],
  ],
  // ubuntu image that installs vLLM at start: caught by its VLLM_* env.
  'vllm-project-production-stack__decode-deploy.yaml': [
    ['Service/decode-headless', 'allow', ''],
    ['Deployment/decode', 'deny', `${WORKLOAD} MG-RATE-001 MG-WIPE-007`],
  ],
  // hostNetwork: its port is the node's, around any gateway's limit.
  'vllm-project-production-stack__deployment-bonsai-ternary.yaml': [
    [
      'Deployment/bonsai-ternary-mig',
      'deny',
      `${WORKLOAD} MG-RATE-001 MG-RATE-004 MG-WIPE-007`,
    ],
  ],
  'vllm-project-production-stack__oci-block-storage-sc.yaml': [
    ['StorageClass/oci-block-storage-enc', 'allow', ''],
    ['StorageClass/oci-block-storage-hp', 'allow', ''],
  ],
  // Labelled model: llama3-pv, not the contract's model-data label.
  'vllm-project-production-stack__pv-03.yaml': [
    ['PersistentVolume/test-vllm-pv', 'allow', ''],
  ],
  'vllm-project-vllm__vllm-deployment.yaml': [
    ['Service/vllm', 'allow', ''],
    [
      'Deployment/vllm-qwen3-235b',
      'deny',
      `${WORKLOAD} MG-RATE-001 MG-WIPE-007`,
    ],
  ],
};

/** Objects whose verdict changes when the whole corpus is judged together. */
export const directoryExpectations: readonly Row[] = [
  ['Service/triton-service', 'deny', 'MG-RATE-004'],
];
