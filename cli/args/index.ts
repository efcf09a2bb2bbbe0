/**
 * A small, strict command-line parser. Every flag a command accepts is
 * declared; anything else is a usage error, so a typo never turns into a
 * silently ignored option.
 */

/** A usage error: a bad flag or argument. The CLI prints it with usage. */
export class UsageError extends Error {
  readonly code = 'USAGE_INVALID';

  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface FlagSpec {
  /** Long name without dashes, `config`. */
  readonly name: string;
  /** True when the flag takes a value (`--config FILE`). */
  readonly takesValue: boolean;
  /** The only values accepted, when the set is closed. */
  readonly values?: readonly string[];
  /** One-letter alias without the dash, `h`. */
  readonly short?: string;
}

export interface ParsedArgs {
  /** Flag values by long name; `true` for flags that take no value. */
  readonly flags: Readonly<Record<string, string | true>>;
  /** Arguments that are not flags, in order. `-` stays a positional. */
  readonly positionals: readonly string[];
}

/**
 * Parses `argv` against `specs`. Accepts `--flag value`, `--flag=value`,
 * `-h`, and `--` to end flags. A flag given twice is an error.
 */
export function parseArgs(
  argv: readonly string[],
  specs: readonly FlagSpec[],
): ParsedArgs {
  const flags: Record<string, string | true> = {};
  const positionals: string[] = [];
  let onlyPositionals = false;

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (onlyPositionals || arg === '-' || !arg.startsWith('-')) {
      positionals.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyPositionals = true;
      continue;
    }
    const { spec, inline } = findSpec(arg, specs);
    if (spec.name in flags) {
      throw new UsageError(`--${spec.name} is given more than once`);
    }
    if (!spec.takesValue) {
      if (inline !== undefined) {
        throw new UsageError(`--${spec.name} takes no value`);
      }
      flags[spec.name] = true;
      continue;
    }
    const value = inline ?? takeValue(argv[i + 1], spec);
    if (inline === undefined) i++;
    flags[spec.name] = checkValue(value, spec);
  }
  return { flags, positionals };
}

function findSpec(
  arg: string,
  specs: readonly FlagSpec[],
): { spec: FlagSpec; inline?: string } {
  if (!arg.startsWith('--')) {
    const spec = specs.find(
      (s) => s.short !== undefined && `-${s.short}` === arg,
    );
    if (!spec) throw new UsageError(`unknown flag ${arg}`);
    return { spec };
  }
  const eq = arg.indexOf('=');
  const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
  const spec = specs.find((s) => s.name === name);
  if (!spec) throw new UsageError(`unknown flag --${name}`);
  return { spec, inline: eq === -1 ? undefined : arg.slice(eq + 1) };
}

function takeValue(next: string | undefined, spec: FlagSpec): string {
  // A following flag is a forgotten value, not the value itself; a value
  // that really starts with a dash can be given as --flag=-value.
  if (next === undefined || (next.startsWith('-') && next !== '-')) {
    throw new UsageError(`--${spec.name} needs a value`);
  }
  return next;
}

function checkValue(value: string, spec: FlagSpec): string {
  if (value === '') throw new UsageError(`--${spec.name} needs a value`);
  if (spec.values && !spec.values.includes(value)) {
    throw new UsageError(
      `--${spec.name} must be one of ${spec.values.join(', ')}, got "${value}"`,
    );
  }
  return value;
}
