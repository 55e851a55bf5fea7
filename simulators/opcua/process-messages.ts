// Messages between simulators/opcua/process.ts and the OPC UA simulator's own process (child.ts).
// Import-free, so the parent can start the child before it loads anything heavy.

export interface OpcuaChildOptions {
  port?: number;
  timeScale?: number;
  dataDir?: string;
  tickMs?: number;
}

export type PlantValue = number | boolean;

/** The plant's variables, and how many `set` messages the child had applied when it read them. */
export interface Snapshot {
  entries: Array<[string, PlantValue]>;
  setsApplied: number;
}

export type ToOpcuaChild =
  | { t: 'set'; path: string; value: PlantValue }
  | { t: 'call'; id: number; op: 'kill' | 'revive' | 'scenario'; name?: string }
  | { t: 'stop' };

export type FromOpcuaChild =
  | { t: 'up'; port: number; endpointUrl: string; state: Snapshot }
  | { t: 'failed'; message: string }
  | { t: 'state'; state: Snapshot }
  | { t: 'done'; id: number; error?: string; state: Snapshot }
  | { t: 'log'; level: 'info' | 'warn'; obj: object; msg?: string };
