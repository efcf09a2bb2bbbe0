/**
 * Signature facts supplied by a test, entering the decision where the
 * registry's answers enter it. Real verification against a real registry is
 * proven by the signature suites.
 */
import { parseImageRef, type ImageRef } from '../../core/image-ref';
import type { ImageFact, ImageVerifier } from '../../core/signature';

export interface FactRule {
  /** Prefix of the normalized name, `registry.example.com/ml/`. */
  readonly prefix: string;
  readonly fact: Omit<ImageFact, 'ref'>;
  /** Delay before answering, to model a hanging registry. */
  readonly delayMs?: number;
}

/** Answers from the first matching rule; everything else is unsigned. */
export function tableVerifier(rules: readonly FactRule[]): ImageVerifier {
  return {
    async verify(ref: ImageRef): Promise<ImageFact> {
      const rule = rules.find((r) => ref.name.startsWith(r.prefix));
      if (rule?.delayMs) await new Promise((r) => setTimeout(r, rule.delayMs));
      return {
        ref: ref.canonical,
        ...(rule?.fact ?? { signatures: 0, signers: [] }),
      };
    },
  };
}

export { parseImageRef };
