// The one logger interface of the project. pino loggers satisfy it; drivers, simulators, the hub
// and tests all log through it (drivers get a Logger in their context, hub modules a ChildLogger).
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

/** A Logger that can bind fields for a part of the program (`log.child({ module: 'alarms' })`). */
export interface ChildLogger extends Logger {
  child(bindings: object): ChildLogger;
}
