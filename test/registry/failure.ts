import { isModelgateError, type ModelgateError } from '../../core/errors';

/** The ModelgateError `work` rejects with; fails the test otherwise. */
export async function failureOf(
  work: Promise<unknown>,
): Promise<ModelgateError> {
  try {
    await work;
  } catch (err) {
    if (isModelgateError(err)) return err;
    throw err;
  }
  throw new Error('expected a ModelgateError');
}
