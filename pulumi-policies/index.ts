/**
 * The modelgate policy pack for `pulumi preview --policy-pack`. Every
 * verdict comes from the shared core and its Rego policy; see pack.ts.
 */
import { startPolicyPack } from './pack';

startPolicyPack();
