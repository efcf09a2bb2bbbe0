/**
 * The rule families, one Pulumi policy each (and one stack policy each for
 * what only the whole stack shows). Provisions are those of the family's
 * rules in the catalog; a test keeps the two in step.
 */
import type { Severity } from '@pulumi/policy';

export interface Family {
  /** Rule id prefix, `MG-PROV`. */
  readonly id: string;
  /** Policy name; the stack policy adds `-stack`. */
  readonly name: string;
  readonly displayName: string;
  readonly description: string;
  /** EN 304 223 provisions the family's rules implement. */
  readonly provisions: readonly string[];
  readonly severity: Severity;
  readonly remediationSteps: string;
  /** Whether it has safe automatic fixes (enforcement level `remediate`). */
  readonly remediates: boolean;
}

export const FAMILIES: readonly Family[] = [
  {
    id: 'MG-PROV',
    name: 'modelgate-provenance',
    displayName: 'Model images are pinned and signed',
    description:
      'Every image and artifact a model runs is pinned by digest and signed by a key its trust authority names (EN 304 223 5.2.3-1, 5.2.1-2, 5.2.4-1.2).',
    provisions: ['5.2.1-2', '5.2.3-1', '5.2.4-1.2'],
    severity: 'high',
    remediationSteps:
      'Refer to each image as name@sha256:<digest>, sign it with cosign using a trusted key, and record a modelgate.io/model-digest for artifacts fetched by URI.',
    remediates: false,
  },
  {
    id: 'MG-RATE',
    name: 'modelgate-rate-limit',
    displayName: 'Model endpoints are rate limited',
    description:
      'A model that answers requests declares a rate limit, and nothing exposes it around one: Ingress, LoadBalancer and API Gateway stages enforce a limit (EN 304 223 5.2.2-2).',
    provisions: ['5.2.2-2'],
    severity: 'high',
    remediationSteps:
      'Set modelgate.io/rate-limit (for example 120/m) and enforce it where the model is exposed: ingress limit annotations, a gateway rate-limit policy, API Gateway throttling or a WAFv2 rate-based rule.',
    remediates: false,
  },
  {
    id: 'MG-DECOM',
    name: 'modelgate-decommission',
    displayName: 'Models and model data name a custodian and a disposal',
    description:
      'Model workloads and the stores holding model data name an accountable data custodian and a decommissioning procedure (EN 304 223 5.5.1-1, 5.5.1-2, 5.2.1-1).',
    provisions: ['5.2.1-1', '5.5.1-1', '5.5.1-2'],
    severity: 'medium',
    remediationSteps:
      'Add modelgate.io/data-custodian: <team> and modelgate.io/decommission: wipe | secure-wipe | crypto-erase as labels or tags.',
    remediates: true,
  },
  {
    id: 'MG-WIPE',
    name: 'modelgate-wipe',
    displayName: 'Model data does not outlive its teardown',
    description:
      'Storage holding model data is deleted with the workload or stack that owns it, or can be crypto-erased (EN 304 223 5.5.1-2, 5.2.1-4.2).',
    provisions: ['5.2.1-4.2', '5.5.1-2'],
    severity: 'high',
    remediationSteps:
      'Use reclaimPolicy Delete, forceDestroy on buckets, deleteOnTermination on block devices, and a customer-managed key for crypto-erase.',
    remediates: true,
  },
  {
    id: 'MG-EXEMPT',
    name: 'modelgate-exemptions',
    displayName: 'Exemptions are valid',
    description:
      'An exemption a resource names exists, has not expired and applies where it is used (EN 304 223 5.2.3-2).',
    provisions: ['5.2.3-2'],
    severity: 'medium',
    remediationSteps:
      'Renew the exemption in config with a justification, approver and expiry, or remove the reference and fix the findings.',
    remediates: false,
  },
];
