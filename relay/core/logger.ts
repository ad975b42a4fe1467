// One structured logger interface. Headless it writes JSON lines to stderr;
// the desktop app passes an electron-log backed implementation of the same
// interface. Every record passes the redactor first.
import { redact } from './redact.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(bindings: LogFields): Logger;
}

export interface LogSink {
  write(level: LogLevel, record: LogFields): void;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function createLogger(sink: LogSink, opts: { level?: LogLevel; secrets?: () => readonly string[]; bindings?: LogFields } = {}): Logger {
  const min = ORDER[opts.level ?? 'info'];
  const secrets = opts.secrets ?? (() => []);
  const bindings = opts.bindings ?? {};
  const emit = (level: LogLevel, msg: string, fields?: LogFields) => {
    if (ORDER[level] < min) return;
    const record = redact({ time: new Date().toISOString(), level, msg, ...bindings, ...fields }, secrets()) as LogFields;
    sink.write(level, record);
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (b) => createLogger(sink, { ...opts, bindings: { ...bindings, ...b } }),
  };
}

export const stderrSink: LogSink = {
  write(_level, record) {
    process.stderr.write(`${JSON.stringify(record)}\n`);
  },
};

export function memorySink(): LogSink & { records: LogFields[] } {
  const records: LogFields[] = [];
  return { records, write: (_l, r) => void records.push(r) };
}

export const silentLogger: Logger = createLogger({ write() {} }, { level: 'error' });
