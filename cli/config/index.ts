/** Config loading shared by the commands. */
import { defaultConfig, loadConfigFile, type Config } from '../../core/config';
import { isModelgateError, type ErrorCode } from '../../core/errors';

/** Codes that mean "fix your config or files", exit 2, not a fault of ours. */
const CONFIG_ERROR_CODES: readonly ErrorCode[] = [
  'CONFIG_INVALID',
  'CONFIG_UNREADABLE',
  'KEY_INVALID',
  'TLS_UNAVAILABLE',
];

/** The config in FILE, or the embedded strict default without one. */
export function loadCliConfig(file: string | true | undefined): Config {
  return typeof file === 'string' ? loadConfigFile(file) : defaultConfig();
}

export function isConfigError(err: unknown): boolean {
  return isModelgateError(err) && CONFIG_ERROR_CODES.includes(err.code);
}
