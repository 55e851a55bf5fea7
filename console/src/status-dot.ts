// The phone's footer in one dot: the live link and every driver connection reduced to one state.
// Calm when everything is online (ISA-101: colour only for the abnormal); the title says what is wrong.
import type { ConnectionStatus } from '../../contracts/driver.js';
import type { LinkState } from './live.js';

export type StatusLevel = 'ok' | 'warn' | 'fault';

export interface StatusSummary {
  level: StatusLevel;
  /** Connections not online. */
  problems: number;
  linkDown: boolean;
}

export function summarizeStatus(link: LinkState, drivers: readonly ConnectionStatus[]): StatusSummary {
  const linkDown = link !== 'live';
  const problems = drivers.filter((d) => d.state !== 'online').length;
  const faulted = drivers.some((d) => d.state === 'offline' || d.state === 'auth_failed');
  const level: StatusLevel = link === 'refused' || faulted ? 'fault' : linkDown || problems > 0 ? 'warn' : 'ok';
  return { level, problems, linkDown };
}
