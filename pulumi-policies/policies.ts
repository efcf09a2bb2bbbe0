/**
 * The pack's policies: for each rule family a resource policy (each
 * resource as the engine registers it) and a stack policy (what only the
 * whole stack shows: a LoadBalancer in front of model pods, a claim's
 * StorageClass, the stores a model uses). Both report the findings of the
 * family's rules; neither decides one.
 */
import type {
  PolicyConfigSchema,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from '@pulumi/policy';
import { policyConfigSchema } from './config';
import { FAMILIES, type Family } from './families';
import { isJudged } from './judge';
import { editableProps } from './props';
import { remediate } from './remediate';
import type { Violation } from './present';
import type { PackState } from './state';

/** EN 304 223 V2.1.1, the standard every policy implements part of. */
const FRAMEWORK = {
  name: 'ETSI EN 304 223',
  version: '2.1.1',
  specification:
    'Securing Artificial Intelligence (SAI); Baseline Cyber Security Requirements for AI Models and Systems',
};

export function createPolicies(
  state: PackState,
): (ResourceValidationPolicy | StackValidationPolicy)[] {
  return FAMILIES.flatMap((family) => [
    resourcePolicy(family, state),
    stackPolicy(family, state),
  ]);
}

function common(family: Family) {
  return {
    enforcementLevel: 'mandatory' as const,
    severity: family.severity,
    remediationSteps: family.remediationSteps,
    framework: { ...FRAMEWORK, reference: family.provisions.join(', ') },
    tags: ['modelgate', family.id],
    configSchema: policyConfigSchema as unknown as PolicyConfigSchema,
  };
}

function resourcePolicy(
  family: Family,
  state: PackState,
): ResourceValidationPolicy {
  return {
    name: family.name,
    displayName: family.displayName,
    description: family.description,
    ...common(family),
    validateResource: async (args, report) => {
      skipComponents(args);
      const judged = await state.resource(args);
      for (const v of judged.violations) {
        if (belongs(v, family) || (isFault(v) && state.claimFault(args.urn))) {
          reportOne(report, family, v);
        }
      }
    },
    remediateResource: family.remediates
      ? async (args) => {
          if (!isJudged(args.type)) return undefined;
          const judged = await state.resource(args);
          const { options } = state.configured(args);
          return remediate(
            judged,
            editableProps(args.props),
            family.id,
            options,
          );
        }
      : undefined,
  };
}

function stackPolicy(family: Family, state: PackState): StackValidationPolicy {
  return {
    name: `${family.name}-stack`,
    displayName: `${family.displayName} (across the stack)`,
    description: `${family.description} Judged across every resource of the stack.`,
    ...common(family),
    validateStack: async (args: StackValidationArgs, report) => {
      const { entries } = await state.stack(args);
      for (const { resource, violations } of entries) {
        const urn = resource.urn ?? '';
        for (const v of violations) {
          const mine =
            belongs(v, family) || (isFault(v) && state.claimFault(urn));
          if (mine && !state.reported(urn, v.key)) {
            reportOne(report, family, v, urn);
          }
        }
      }
    },
  };
}

/**
 * Components (a Helm chart, a YAML config group) are judged through the
 * resources they render, which the engine registers on their own; their own
 * properties are no evidence either way, so they get no verdict at all.
 */
function skipComponents(args: ResourceValidationArgs): void {
  if (!isJudged(args.type)) {
    args.notApplicable(
      'a component: the resources it renders are judged one by one',
    );
  }
}

function belongs(v: Violation, family: Family): boolean {
  return v.family === family.id;
}

function isFault(v: Violation): boolean {
  return v.family === '*';
}

/**
 * LIMITATION: @pulumi/policy types reportViolation as (message, urn), but
 * its implementation also takes an object whose enforcementLevel overrides
 * the policy's for that one violation. That is how a warn-mode or deferred
 * finding is advisory while the policy stays mandatory; the analyzer
 * protocol suite fails if a release drops it.
 */
function reportOne(
  report: ReportViolation,
  family: Family,
  v: Violation,
  urn?: string,
): void {
  const detailed = report as unknown as (violation: object) => void;
  detailed({
    message: `${family.description}\n${v.text}`,
    description: family.description,
    enforcementLevel: v.level,
    urn,
  });
}
