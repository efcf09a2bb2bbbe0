/**
 * AWS API Gateway and WAFv2: the stages that expose a model and every place
 * a throttle for them can be set. Resources find one another by reference
 * (the URN a property depends on, or its literal value), never by name
 * resemblance.
 */
import type { Gateway } from '../types';
import {
  awsTags,
  cloudObject,
  list,
  named,
  num,
  obj,
  refs,
  str,
  type Input,
} from './resource';
import type { Mapper } from './mappers';

function throttle(path: string, rate: unknown): Gateway['throttle'] {
  const n = num(rate);
  return n === undefined ? undefined : { path, rate: n };
}

function gatewayObject(
  input: Input,
  role: 'stage' | 'integration' | 'method-settings',
  gateway: Gateway,
  ids: string[] = [],
) {
  return cloudObject(input, {
    labels: awsTags(input),
    cloud: { role, tagsPath: 'tags', ids, gateway },
  });
}

const restStage: Mapper = (input) =>
  gatewayObject(
    input,
    'stage',
    { api: refs(input, 'restApi'), namePath: 'stageName' },
    named(input, 'stageName', 'executionArn'),
  );

const httpStage: Mapper = (input) => {
  const route = obj(input.value.defaultRouteSettings);
  return gatewayObject(
    input,
    'stage',
    {
      api: refs(input, 'apiId'),
      namePath: 'name',
      throttle: throttle(
        'defaultRouteSettings.throttlingRateLimit',
        route.throttlingRateLimit,
      ),
    },
    named(input, 'executionArn'),
  );
};

/** SageMaker and Bedrock runtime integrations invoke a hosted model. */
const MODEL_RUNTIME = /:runtime\.sagemaker:|:bedrock(-runtime)?:/;

const integration =
  (apiField: string, uriField: string): Mapper =>
  (input) =>
    gatewayObject(input, 'integration', {
      api: refs(input, apiField),
      model: MODEL_RUNTIME.test(str(input.value[uriField]) ?? ''),
    });

const methodSettings: Mapper = (input) => {
  const settings = obj(input.value.settings);
  return gatewayObject(input, 'method-settings', {
    api: refs(input, 'restApi'),
    stage: refs(input, 'stageName'),
    methodPath: str(input.value.methodPath),
    throttle: throttle(
      'settings.throttlingRateLimit',
      settings.throttlingRateLimit,
    ),
  });
};

const usagePlan: Mapper = (input) => {
  // LIMITATION: the dependency graph records URNs per property, so when the
  // stage names are unknown every entry refers to every stage the plan
  // depends on; a per-stage throttle then counts for all of them.
  const shared = input.resource.propertyDependencies?.apiStages ?? [];
  const stages = list(input.value.apiStages).map((s) => {
    const literal = [s.apiId, s.stage].map(str).filter(isString);
    const everyMethod = list(s.throttles).find((t) => t.path === '*/*');
    return { refs: [...literal, ...shared], rate: num(everyMethod?.rateLimit) };
  });
  const plan = obj(input.value.throttleSettings);
  return cloudObject(input, {
    labels: awsTags(input),
    cloud: {
      role: 'usage-plan',
      tagsPath: 'tags',
      ids: [],
      gateway: {
        stages,
        throttle: throttle('throttleSettings.rateLimit', plan.rateLimit),
      },
    },
  });
};

function isString(s: string | undefined): s is string {
  return s !== undefined;
}

/** Rules may nest statements; a rate-based one anywhere counts. */
function hasRateStatement(value: unknown, depth = 0): boolean {
  if (depth > 8 || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) {
    return value.some((v) => hasRateStatement(v, depth + 1));
  }
  const o = value as Record<string, unknown>;
  if (o.rateBasedStatement !== undefined) return true;
  return Object.values(o).some((v) => hasRateStatement(v, depth + 1));
}

const webAcl: Mapper = (input) =>
  cloudObject(input, {
    labels: awsTags(input),
    cloud: {
      role: 'waf-acl',
      tagsPath: 'tags',
      ids: named(input, 'id'),
      gateway: { rateRule: hasRateStatement(input.value.rules) },
    },
  });

const webAclAssociation: Mapper = (input) =>
  cloudObject(input, {
    cloud: {
      role: 'waf-association',
      ids: [],
      gateway: {
        targets: refs(input, 'resourceArn'),
        acl: refs(input, 'webAclArn'),
      },
    },
  });

export const gatewayMappers: Record<string, Mapper> = {
  'aws:apigateway/stage:Stage': restStage,
  'aws:apigatewayv2/stage:Stage': httpStage,
  'aws:apigateway/integration:Integration': integration('restApi', 'uri'),
  'aws:apigatewayv2/integration:Integration': integration(
    'apiId',
    'integrationUri',
  ),
  'aws:apigateway/methodSettings:MethodSettings': methodSettings,
  'aws:apigateway/usagePlan:UsagePlan': usagePlan,
  'aws:wafv2/webAcl:WebAcl': webAcl,
  'aws:wafv2/webAclAssociation:WebAclAssociation': webAclAssociation,
};
