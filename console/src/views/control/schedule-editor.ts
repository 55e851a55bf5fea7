// The schedule editor's view-model, without DOM: the loaded document and its editable draft, the
// selected schedule and period, problems, dirty/conflict/saving state and the status line, with the
// actions the editor offers (load, save with a version check, edit periods/modes/exceptions).
// schedules-view.ts draws it and calls these actions; every request goes through ControlClient.
import { t, type MessageKey } from '../../i18n.js';
import { ControlApiError, WEEK_DAYS, type ControlClient, type Mode, type Period, type Problem, type Schedule, type ScheduleDoc, type SchedulesResponse, type ScheduleVersionInfo } from './control-api.js';
import { messageOf } from './control-common.js';
import { unplacedProblems } from './week-model.js';

export const TIME_RE = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
export const MODES: readonly Mode[] = ['occupied', 'standby', 'unoccupied'];

export type Status = { kind: '' | 'ok' | 'err' | 'warn'; text: () => string };
export type ScheduleClient = Pick<ControlClient, 'schedules' | 'versions' | 'saveSchedules'>;

/** A day column's label ('holiday' or a week day). */
export const dayLabel = (list: string) => (list === 'holiday' ? t('ctl.day.holiday') : t(`ctl.day.${list}` as MessageKey));

/** The setpoint range every zone of the schedule's groups accepts (the tightest limits), if any. */
export function modeLimits(schedule: Schedule, groups: SchedulesResponse['groups'] | undefined): { min: number; max: number } | null {
  const zones = schedule.groups.flatMap((g) => groups?.find((x) => x.id === g)?.zones ?? []);
  if (!zones.length) return null;
  return { min: Math.max(...zones.map((z) => z.limits.min)), max: Math.min(...zones.map((z) => z.limits.max)) };
}

/**
 * Problems that have no place of their own on screen, in words: every period problem (a short
 * block clips its text), the schedule's own, and those the grid cannot place.
 */
export function problemLines(grouped: Map<string, string[]>, listOf: (key: string) => Period[], problems: Problem[], scheduleCount: number): string[] {
  const periodLines = [...grouped.entries()].filter(([key]) => key.startsWith('period:') && !key.startsWith('period:exception:')).flatMap(([key, messages]) => {
    const [, list, index] = key.split(':');
    const p = listOf(list)[Number(index)];
    return messages.map((m) => `${dayLabel(list)}${p ? ` ${p.start}–${p.end}` : ''}: ${m}`);
  });
  return [...periodLines, ...(grouped.get('schedule') ?? []), ...unplacedProblems(problems, scheduleCount).map((p) => `${p.path.join('.')}: ${p.message}`)];
}

export class ScheduleEditor {
  loaded: SchedulesResponse | null = null;
  draft: ScheduleDoc = { schedules: [] };
  versions: ScheduleVersionInfo[] = [];
  scheduleIndex = 0;
  selected: { list: string; index: number } | null = null;
  problems: Problem[] = [];
  dirty = false;
  conflict: string | null = null;
  status: Status = { kind: '', text: () => t('ctl.loading') };
  saving = false;
  alive = true;

  constructor(private readonly client: ScheduleClient, private readonly onChange: () => void) {}

  schedule(): Schedule | null {
    return this.draft.schedules[this.scheduleIndex] ?? null;
  }

  listOf(key: string): Period[] {
    const s = this.schedule();
    if (!s) return [];
    return key === 'holiday' ? s.holiday : s.week[key as (typeof WEEK_DAYS)[number]];
  }

  setList(key: string, periods: Period[]): void {
    const s = this.schedule();
    if (!s) return;
    if (key === 'holiday') s.holiday = periods;
    else s.week[key as (typeof WEEK_DAYS)[number]] = periods;
  }

  /** The draft changed: mark unsaved and redraw. */
  changed(): void {
    this.dirty = true;
    this.status = { kind: '', text: () => t('ctl.sch.unsaved') };
    this.onChange();
  }

  gridChanged(list: string, periods: Period[], select: number): void {
    this.setList(list, periods);
    this.selected = { list, index: select };
    this.changed();
  }

  select(list: string, index: number): void {
    this.selected = { list, index };
    this.onChange();
  }

  pickSchedule(index: number): void {
    this.scheduleIndex = index;
    this.selected = null;
    this.onChange();
  }

  /** Replaces the selected period, or removes it (null: unoccupied is the absence of a period). */
  updateSelected(next: Period | null): void {
    const sel = this.selected;
    if (!sel) return;
    const list = [...this.listOf(sel.list)];
    if (next) list[sel.index] = next;
    else {
      list.splice(sel.index, 1);
      this.selected = null;
    }
    this.setList(sel.list, list);
    this.changed();
  }

  /** A time field's new text: applied when it is HH:MM (or 24:00); false when it is not. */
  setTime(field: 'start' | 'end', value: string): boolean {
    const p = this.selected ? this.listOf(this.selected.list)[this.selected.index] : undefined;
    if (!p || !TIME_RE.test(value)) return false;
    this.updateSelected({ ...p, [field]: value });
    return true;
  }

  setMode(mode: Mode): void {
    const p = this.selected ? this.listOf(this.selected.list)[this.selected.index] : undefined;
    if (!p) return;
    this.updateSelected(mode === 'unoccupied' ? null : { ...p, mode: mode as Period['mode'] });
  }

  /** A setpoint field's text; blank or not a number is ignored (the field keeps what was typed). */
  setSetpoint(mode: Mode, text: string): void {
    const s = this.schedule();
    const value = Number(text);
    if (!s || text.trim() === '' || !Number.isFinite(value)) return;
    s.modes[mode] = { ...s.modes[mode], setpoint: value };
    this.changed();
  }

  setFan(mode: Mode, on: boolean): void {
    const s = this.schedule();
    if (!s) return;
    s.modes[mode] = { ...s.modes[mode], fan: on };
    this.changed();
  }

  setMakeUpAs(day: Schedule['makeUpAs']): void {
    const s = this.schedule();
    if (!s) return;
    s.makeUpAs = day;
    this.changed();
  }

  setExceptions(exceptions: Schedule['exceptions']): void {
    const s = this.schedule();
    if (!s) return;
    s.exceptions = exceptions;
    this.changed();
  }

  setProblems(list: Problem[]): void {
    this.problems = list;
    this.onChange();
  }

  async load(message?: Status): Promise<void> {
    try {
      const [current, history] = await Promise.all([this.client.schedules(), this.client.versions()]);
      if (!this.alive) return;
      this.loaded = current;
      this.versions = history.items;
      this.draft = structuredClone(current.doc);
      this.scheduleIndex = Math.min(this.scheduleIndex, Math.max(0, this.draft.schedules.length - 1));
      this.selected = null;
      this.problems = [];
      this.dirty = false;
      this.conflict = null;
      this.status = message ?? { kind: '', text: () => '' };
    } catch (err) {
      const text = messageOf(err);
      this.status = { kind: 'err', text: () => t('view.loadFailed', { message: text }) };
    }
    this.onChange();
  }

  /** Saves against the loaded version; true when saved. A 409 means someone else saved: reload. */
  async save(note: string): Promise<boolean> {
    if (!this.loaded || this.saving) return false;
    this.saving = true;
    this.status = { kind: '', text: () => t('ctl.sch.saving') };
    this.onChange();
    try {
      const saved = await this.client.saveSchedules(this.draft, this.loaded.version, note);
      this.saving = false;
      await this.load({ kind: 'ok', text: () => t('ctl.sch.saved', { version: saved.version }) });
      return true;
    } catch (err) {
      const text = messageOf(err);
      if (err instanceof ControlApiError && err.status === 409) {
        this.conflict = text;
        this.status = { kind: 'warn', text: () => t('ctl.sch.conflictShort') };
      } else {
        this.problems = err instanceof ControlApiError ? err.problems : [];
        this.status = { kind: 'err', text: () => t('ctl.sch.refused', { message: text }) };
      }
    }
    this.saving = false;
    this.onChange();
    return false;
  }
}
