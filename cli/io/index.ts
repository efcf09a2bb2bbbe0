/** The streams a command reads and writes; tests inject their own. */
export interface CliOutput {
  write(chunk: string): unknown;
}

export interface CliIo {
  /** The report, and nothing else. */
  readonly stdout: CliOutput;
  /** Diagnostics: errors, usage after a usage error, server status. */
  readonly stderr: CliOutput;
  /** Read when `-` is given as a path. */
  readonly stdin?: NodeJS.ReadableStream;
}

/** Writes `modelgate: <message>` to stderr, cut to its first line. */
export function diagnose(io: CliIo, message: string): void {
  io.stderr.write(`modelgate: ${message.split('\n')[0]!.trim()}\n`);
}
