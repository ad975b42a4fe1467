// The relay's Logger over electron-log: JSON lines in a rotating file under
// userData/logs (electron-log moves main.log to main.old.log past maxSize),
// every record redacted with the secret values known at the moment of writing.
import path from 'node:path';
import type { LogFields, LogLevel, Logger, LogSink } from '../../relay/core/logger.js';
import { createLogger } from '../../relay/core/logger.js';

export const DEFAULT_LOG_MAX_BYTES = 5 * 1024 * 1024;
export const LOG_FILE_NAME = 'main.log';

/** The part of an electron-log logger (`electron-log/node` `create()`) used here. */
export interface ElectronLogLike {
  transports: {
    file: {
      level: string | false;
      maxSize: number;
      format: unknown;
      resolvePathFn: (...args: never[]) => string;
    };
    console: { level: string | false };
  };
  debug(...params: unknown[]): void;
  info(...params: unknown[]): void;
  warn(...params: unknown[]): void;
  error(...params: unknown[]): void;
}

export interface ElectronLoggerOptions {
  logsDir: string;
  /** Current secret values; asked on every record so a secret saved later is masked too. */
  secrets: () => readonly string[];
  level?: LogLevel;
  maxSizeBytes?: number;
  /** Also print to the terminal (development runs). */
  console?: boolean;
}

export function electronLogSink(log: ElectronLogLike): LogSink {
  return {
    write(level: LogLevel, record: LogFields) {
      log[level](JSON.stringify(record));
    },
  };
}

export function createElectronLogger(log: ElectronLogLike, opts: ElectronLoggerOptions): Logger {
  const file = path.join(opts.logsDir, LOG_FILE_NAME);
  log.transports.file.resolvePathFn = () => file;
  log.transports.file.maxSize = opts.maxSizeBytes ?? DEFAULT_LOG_MAX_BYTES;
  // The record already carries time and level; the line is the JSON alone.
  log.transports.file.format = '{text}';
  log.transports.file.level = 'debug';
  log.transports.console.level = opts.console ? 'debug' : false;
  return createLogger(electronLogSink(log), { level: opts.level ?? 'info', secrets: opts.secrets });
}
