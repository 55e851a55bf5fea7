// Patrol compliance for the reports from hub/patrols (issue 15): the service's own compliance
// figures (on time / planned), and one anomaly note per tour that missed checkpoints.
import type { ComplianceRow } from '../../contracts/patrols.js';
import type { PatrolSource } from './collect.js';

export interface PatrolComplianceLike {
  compliance(by: 'tour', from: number, to: number): { rows: ComplianceRow[]; total: ComplianceRow };
}

export function patrolSource(service: () => PatrolComplianceLike | undefined): () => PatrolSource | { absent: string } {
  return () => {
    const s = service();
    if (!s) return { absent: 'the patrols module is not running' };
    return {
      compliance(from, to) {
        const r = s.compliance('tour', from, to);
        return {
          planned: r.total.planned, done: r.total.onTime, missed: r.total.missed,
          missedItems: r.rows.filter((row) => row.missed > 0).map((row) => ({
            subject: row.key,
            reason: `Tour ${row.key}: ${row.missed} of ${row.planned} checkpoints missed in ${row.runs} run(s) (patrol compliance) / 巡更 ${row.key}：${row.runs} 次中漏巡 ${row.missed} 个点位（共 ${row.planned}）`,
            href: '#/patrols',
          })),
        };
      },
    };
  };
}
