export {
  loadConfigFile,
  loadConfigText,
  buildConfig,
  defaultConfig,
} from './load';
export type { LoadContext } from './load';
export { configSchema } from './schema';
export type {
  Config,
  KeyConfig,
  AuthorityConfig,
  RegistryConfig,
  ExemptionConfig,
  NamespaceConfig,
} from './types';
