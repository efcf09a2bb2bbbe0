/**
 * `modelgate check`: read manifests, judge them together, report, and map
 * the decisions to the exit code.
 */
import { UsageError, parseArgs, type FlagSpec } from '../args';
import { loadCliConfig } from '../config';
import { CHECK_USAGE, EXIT, readVersion, type ExitCode } from '../help';
import { readInputs } from '../input';
import { diagnose, type CliIo } from '../io';
import {
  OUTPUT_FORMATS,
  render,
  type CheckReport,
  type OutputFormat,
} from '../report';
import { judgeInputs } from './judge';

export const CHECK_FLAGS: readonly FlagSpec[] = [
  { name: 'config', takesValue: true },
  { name: 'output', takesValue: true, values: OUTPUT_FORMATS },
  { name: 'offline', takesValue: false },
  { name: 'quiet', takesValue: false },
  { name: 'help', takesValue: false, short: 'h' },
];

export async function runCheck(
  argv: readonly string[],
  io: CliIo,
): Promise<ExitCode> {
  const { flags, positionals } = parseArgs(argv, CHECK_FLAGS);
  if (flags.help) {
    io.stdout.write(CHECK_USAGE);
    return EXIT.ok;
  }
  if (positionals.length === 0) {
    throw new UsageError('name at least one file, directory, or - for stdin');
  }

  const config = loadCliConfig(flags.config);
  const inputs = await readInputs(positionals, io.stdin);
  if (inputs.files.length === 0) {
    // Not an error (a folder may be empty on purpose), but a wrong path in
    // CI should not pass without a word.
    diagnose(io, 'no *.yaml, *.yml or *.json files found');
  }
  const objects = await judgeInputs(inputs.objects, {
    config,
    offline: flags.offline === true,
    warn: (message) => diagnose(io, message),
  });

  const report = { files: inputs.files, objects, errors: inputs.errors };
  const format = (flags.output ?? 'text') as OutputFormat;
  io.stdout.write(
    render(format, report, {
      quiet: flags.quiet === true,
      version: readVersion(),
    }),
  );
  return exitCodeOf(report);
}

/** 1 when anything was denied or could not be read; warnings pass. */
export function exitCodeOf(report: CheckReport): ExitCode {
  const denied = report.objects.some((o) => o.decision === 'deny');
  return denied || report.errors.length > 0 ? EXIT.failed : EXIT.ok;
}
