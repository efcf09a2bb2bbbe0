/** The modelgate command line. */
export { main } from './main';
export type { CliIo, CliOutput, ExitCode, MainDeps, ServeDeps } from './main';
export { EXIT } from './help';
