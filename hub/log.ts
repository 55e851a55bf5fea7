// Logger factory. pino loggers already satisfy HubLogger ({info,warn,error,debug}(obj,msg) + child).
// Human-readable lines (pino-pretty) when stdout is a terminal, one JSON object per line otherwise
// (journald, a log shipper); LOG_FORMAT=json|pretty overrides the guess.
import { pino } from 'pino';
import pretty from 'pino-pretty';
import type { HubLogger } from './ports.js';

export interface LoggerOptions {
  /** Defaults to env LOG_LEVEL, else `info`. */
  level?: string;
  name?: string;
  /** Pretty lines instead of JSON; default: logFormat() of the environment. */
  pretty?: boolean;
}

/** `pretty` when LOG_FORMAT says so, or when it says nothing and stdout is a terminal; else `json`. Pure. */
export function logFormat(env: { LOG_FORMAT?: string }, stdoutIsTty: boolean): 'pretty' | 'json' {
  const f = env.LOG_FORMAT?.toLowerCase();
  if (f === 'json' || f === 'pretty') return f;
  return stdoutIsTty ? 'pretty' : 'json';
}

export function createLogger(opts: LoggerOptions = {}): HubLogger {
  const options = { name: opts.name ?? 'watchfloor', level: opts.level ?? process.env.LOG_LEVEL ?? 'info' };
  const human = opts.pretty ?? logFormat(process.env, process.stdout.isTTY === true) === 'pretty';
  // pino-pretty as a synchronous stream in this thread: no worker, nothing lost at exit.
  return human ? pino(options, pretty({ colorize: true, sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' })) : pino(options);
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
