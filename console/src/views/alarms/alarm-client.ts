// REST calls of the alarm pages (list, operator actions, journal, KPIs). Live pushes come over
// the console's one Socket.IO connection (LiveLink.watchAlarms), not from here.
import type { AlarmKpis, AlarmView, JournalRow } from '../../../../contracts/alarms.js';
import type { PointView } from '../../../../contracts/api.js';
import { hubJson, type ApiRequestError } from '../../api.js';

/** A refused or failed call, with the hub's own message (e.g. the shelve maximum). */
export class AlarmApiError extends Error {
  constructor(public readonly status: number, message: string) {
    super(message);
    this.name = 'AlarmApiError';
  }
}

const id = (alarmId: string) => encodeURIComponent(alarmId);

export class AlarmClient {
  constructor(private readonly token: string, private readonly baseUrl = '') {}

  private async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    // One request path for the whole console (api.ts); the alarm pages keep their error type.
    try {
      return await hubJson<T>({ baseUrl: this.baseUrl, token: () => this.token }, method, `/api${path}`, body);
    } catch (err) {
      const e = err as ApiRequestError;
      throw new AlarmApiError(e.status ?? 0, e.message);
    }
  }

  /** Every alarm the hub knows, normal ones included (names for the KPI tables). */
  all(): Promise<AlarmView[]> {
    return this.request('GET', '/alarms?all=1');
  }
  point(pointId: string): Promise<PointView> {
    return this.request('GET', `/points/${pointId.split('/').map(encodeURIComponent).join('/')}`);
  }
  ack(alarmId: string, comment?: string): Promise<AlarmView> {
    return this.request('POST', `/alarms/${id(alarmId)}/ack`, comment ? { comment } : {});
  }
  ackArea(area: string, comment?: string): Promise<{ acknowledged: string[] }> {
    return this.request('POST', '/alarms/ack', comment ? { area, comment } : { area });
  }
  shelve(alarmId: string, durationMin: number, reason: string): Promise<AlarmView> {
    return this.request('POST', `/alarms/${id(alarmId)}/shelve`, { durationMin, reason });
  }
  unshelve(alarmId: string): Promise<AlarmView> {
    return this.request('POST', `/alarms/${id(alarmId)}/unshelve`, {});
  }
  outOfService(alarmId: string, reason: string): Promise<AlarmView> {
    return this.request('POST', `/alarms/${id(alarmId)}/out-of-service`, { reason });
  }
  returnToService(alarmId: string): Promise<AlarmView> {
    return this.request('POST', `/alarms/${id(alarmId)}/return-to-service`, {});
  }
  comment(alarmId: string, text: string): Promise<AlarmView> {
    return this.request('POST', `/alarms/${id(alarmId)}/comments`, { text });
  }
  journal(query: URLSearchParams): Promise<JournalRow[]> {
    return this.request('GET', `/alarms/journal?${query.toString()}`);
  }
  kpi(from: number, to: number): Promise<AlarmKpis> {
    return this.request('GET', `/alarms/kpi?from=${from}&to=${to}`);
  }
}
