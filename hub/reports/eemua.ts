// EEMUA 191 alarm-rate grades (average alarms per operator per 10 minutes in steady operation):
// < 1 very likely acceptable, 1–2 manageable, 2–10 likely over-demanding, > 10 very likely
// unacceptable. The KPIs themselves (rate, floods, chattering, standing) come from
// hub/alarms/kpi.ts computeKpis; this only grades them. Pure.
import type { EemuaGrade } from '../../contracts/reports.js';

export function eemuaGrade(per10MinAvg: number): EemuaGrade {
  if (per10MinAvg < 1) return 'very-likely-acceptable';
  if (per10MinAvg <= 2) return 'manageable';
  if (per10MinAvg <= 10) return 'likely-over-demanding';
  return 'very-likely-unacceptable';
}
