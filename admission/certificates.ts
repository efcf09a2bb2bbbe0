/**
 * Serving certificates that follow their files. cert-manager and Secret
 * volumes replace the pair in place; a Secret volume does it by swapping a
 * `..data` symlink, which only a watch on the folder sees. Some filesystems
 * send no events at all, so the files' stat is polled as well. A pair that
 * does not load (half written, key and certificate from different pairs)
 * is logged and the previous one keeps serving.
 */
import { createHash } from 'node:crypto';
import {
  watch,
  type FSWatcher,
  type Stats,
  statSync,
  readFileSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { createSecureContext } from 'node:tls';
import type { Logger } from 'pino';
import { ModelgateError, describeThrown } from '../core';

export interface CertificateFiles {
  readonly certFile: string;
  readonly keyFile: string;
}

/** PEM bytes of a certificate chain and its key. */
export interface CertificatePair {
  readonly cert: Buffer;
  readonly key: Buffer;
}

export interface CertificateWatchOptions extends CertificateFiles {
  readonly logger: Logger;
  /** The pair served now, so that an unrelated event reloads nothing. */
  readonly initial: CertificatePair;
  /** Called with each new pair that loads. */
  readonly onChange: (pair: CertificatePair) => void;
  readonly pollMs: number;
  readonly debounceMs: number;
}

export interface CertificateWatch {
  close(): void;
}

/** Reads a pair and checks that it loads; throws TLS_UNAVAILABLE. */
export function loadCertificatePair(files: CertificateFiles): CertificatePair {
  try {
    const pair = {
      cert: readFileSync(files.certFile),
      key: readFileSync(files.keyFile),
    };
    createSecureContext(pair);
    return pair;
  } catch (err) {
    throw new ModelgateError(
      'TLS_UNAVAILABLE',
      `serving certificate ${files.certFile} with key ${files.keyFile} does not load: ${describeThrown(err)}`,
      { cause: err },
    );
  }
}

/** Watches both files' folders and polls their stat; debounces both. */
export function watchCertificates(
  options: CertificateWatchOptions,
): CertificateWatch {
  const files = [options.certFile, options.keyFile];
  let stamp = stampOf(files);
  let served = fingerprintOf(options.initial);
  let timer: NodeJS.Timeout | undefined;

  const reload = () => {
    timer = undefined;
    stamp = stampOf(files);
    try {
      const pair = loadCertificatePair(options);
      const loaded = fingerprintOf(pair);
      if (loaded === served) return;
      options.onChange(pair);
      served = loaded;
      options.logger.info(
        { certFile: options.certFile },
        'reloaded serving certificate',
      );
    } catch (err) {
      options.logger.error(
        { code: 'TLS_UNAVAILABLE', reason: describeThrown(err) },
        'new serving certificate does not load; still serving the previous one',
      );
    }
  };
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(reload, options.debounceMs).unref();
  };

  const watchers = watchFolders(files, schedule, options.logger);
  const poller = setInterval(() => {
    const now = stampOf(files);
    if (now === stamp) return;
    stamp = now;
    schedule();
  }, options.pollMs);
  poller.unref();

  return {
    close() {
      clearInterval(poller);
      clearTimeout(timer);
      for (const w of watchers) w.close();
    },
  };
}

function watchFolders(
  files: readonly string[],
  onEvent: () => void,
  logger: Logger,
): FSWatcher[] {
  const folders = [...new Set(files.map((f) => dirname(f)))];
  const watchers: FSWatcher[] = [];
  for (const folder of folders) {
    try {
      const w = watch(folder, { persistent: false }, onEvent);
      w.on('error', (err) =>
        logger.warn(
          { folder, reason: err.message },
          'certificate folder watch failed; relying on polling',
        ),
      );
      watchers.push(w);
    } catch (err) {
      logger.warn(
        { folder, reason: describeThrown(err) },
        'cannot watch certificate folder; relying on polling',
      );
    }
  }
  return watchers;
}

/** Tells pairs apart without keeping key material in a second place. */
function fingerprintOf(pair: CertificatePair): string {
  return createHash('sha256').update(pair.cert).update(pair.key).digest('hex');
}

/** What changes when a file is rewritten or a symlink is swapped. */
function stampOf(files: readonly string[]): string {
  return files.map((f) => describeStat(f)).join('|');
}

function describeStat(file: string): string {
  let s: Stats;
  try {
    s = statSync(file);
  } catch {
    return 'missing';
  }
  return `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;
}
