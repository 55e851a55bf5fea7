// Logger factory. pino loggers already satisfy HubLogger ({info,warn,error,debug}(obj,msg) + child).
import { pino } from 'pino';
import type { HubLogger } from './module.js';

export interface LoggerOptions {
  /** Defaults to env LOG_LEVEL, else `info`. */
  level?: string;
  name?: string;
}

export function createLogger(opts: LoggerOptions = {}): HubLogger {
  return pino({ name: opts.name ?? 'watchfloor', level: opts.level ?? process.env.LOG_LEVEL ?? 'info' });
}

/** A logger that drops everything: for tests and benchmarks. */
export function silentLogger(): HubLogger {
  return pino({ level: 'silent' });
}

/** A logger that keeps every entry in memory, so tests can assert what was logged (and how often). */
export interface CapturedEntry {
  level: 'info' | 'warn' | 'error' | 'debug';
  obj: object;
  msg?: string;
}

export function captureLogger(entries: CapturedEntry[] = [], bindings: object = {}): HubLogger & { entries: CapturedEntry[] } {
  const at = (level: CapturedEntry['level']) => (obj: object, msg?: string) => {
    entries.push({ level, obj: { ...bindings, ...obj }, msg });
  };
  return {
    entries,
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    debug: at('debug'),
    child: (more: object) => captureLogger(entries, { ...bindings, ...more }),
  };
}
