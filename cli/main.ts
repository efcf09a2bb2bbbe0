/**
 * The `modelgate` command: dispatches to a subcommand and turns what it
 * throws into one line on stderr and an exit code. bin/modelgate.js calls
 * main() and exits with what it returns.
 */
import { describeThrown } from '../core/errors';
import { UsageError } from './args';
import { runCheck } from './check';
import { isConfigError } from './config';
import {
  CHECK_USAGE,
  EXIT,
  MAIN_USAGE,
  SERVE_USAGE,
  readVersion,
  type ExitCode,
} from './help';
import { diagnose, type CliIo } from './io';
import { runServe, type ServeDeps } from './serve';

export type { CliIo, CliOutput } from './io';
export type { ExitCode } from './help';
export type { ServeDeps } from './serve';

export interface MainDeps {
  readonly serve?: ServeDeps;
}

interface Command {
  /** The full help; its first line is the synopsis after a usage error. */
  readonly usage: string;
  run(argv: readonly string[], io: CliIo, deps: MainDeps): Promise<ExitCode>;
}

const COMMANDS: Readonly<Record<string, Command>> = {
  check: { usage: CHECK_USAGE, run: (argv, io) => runCheck(argv, io) },
  // The webhook: everything it needs is loaded inside runServe.
  serve: {
    usage: SERVE_USAGE,
    run: (argv, io, deps) => runServe(argv, io, deps.serve),
  },
};

/** Runs `modelgate argv...` and resolves with the exit code. Never throws. */
export async function main(
  argv: readonly string[],
  io: CliIo,
  deps: MainDeps = {},
): Promise<ExitCode> {
  const [name, ...rest] = argv;
  if (name === undefined) return usageError(io, 'no command given', MAIN_USAGE);
  if (name === '--help' || name === '-h' || name === 'help') {
    return printHelp(io, rest[0]);
  }
  if (name === 'version' || name === '--version') {
    if (rest.length > 0) {
      return usageError(io, 'version takes no arguments', MAIN_USAGE);
    }
    io.stdout.write(`${readVersion()}\n`);
    return EXIT.ok;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) return usageError(io, `unknown command "${name}"`, MAIN_USAGE);

  try {
    return await command.run(rest, io, deps);
  } catch (err) {
    if (err instanceof UsageError) {
      return usageError(io, err.message, command.usage, `modelgate ${name}`);
    }
    return reportThrown(io, err);
  }
}

function printHelp(io: CliIo, topic: string | undefined): ExitCode {
  if (topic === undefined) {
    io.stdout.write(MAIN_USAGE);
    return EXIT.ok;
  }
  const command = Object.hasOwn(COMMANDS, topic) ? COMMANDS[topic] : undefined;
  if (!command) return usageError(io, `no help for "${topic}"`, MAIN_USAGE);
  io.stdout.write(command.usage);
  return EXIT.ok;
}

function reportThrown(io: CliIo, err: unknown): ExitCode {
  if (isConfigError(err)) {
    // One line that names the field; the core's message already says which.
    diagnose(io, describeThrown(err));
    return EXIT.usage;
  }
  // A fault of our own: fail closed, never let a crash read as a pass.
  diagnose(io, `internal error: ${describeThrown(err)}`);
  return EXIT.failed;
}

/** The error, the synopsis and where the help is: short, for a CI log. */
function usageError(
  io: CliIo,
  message: string,
  usage: string,
  command = 'modelgate',
): ExitCode {
  const synopsis = usage.split('\n')[0]!;
  io.stderr.write(
    `modelgate: ${message}\n${synopsis}\n` +
      `Run '${command} --help' for the options and exit codes.\n`,
  );
  return EXIT.usage;
}
