// The zod schemas that validate request bodies, by route: the OpenAPI document shows exactly what
// the handlers accept, because it is built from the same schema objects. Add a line when a route
// starts validating a body (an unlisted route is documented without a body schema).
import type { ZodType } from 'zod';
import { AckBody, AreaAckBody, CommentBody, OptionalComment, ReasonBody, ShelveBody } from '../alarms/routes.js';
import { disableBody } from '../alarms/rule-edit-routes.js';
import { LoginBody } from '../auth/auth.js';
import { SendBody } from '../broadcast/index.js';
import { CommandBody, PreviewBody, PutBody, ReleaseBody } from '../control/routes.js';
import { clipBody, ptzBody } from '../video/routes.js';
import { CreateBody, FromAlarmBody, FromPatrolBody, PhotoBody, RateBody, StepBody } from '../workorders/routes.js';
import { WriteBody } from './routes.js';

export const REQUEST_BODIES: ReadonlyMap<string, ZodType> = new Map<string, ZodType>([
  ['POST /api/auth/login', LoginBody],
  ['POST /api/points/*id/write', WriteBody],
  ['POST /api/alarms/ack', AreaAckBody],
  ['POST /api/alarms/:id/ack', AckBody],
  ['POST /api/alarms/:id/comments', CommentBody],
  ['POST /api/alarms/:id/shelve', ShelveBody],
  ['POST /api/alarms/:id/unshelve', OptionalComment],
  ['POST /api/alarms/:id/out-of-service', ReasonBody],
  ['POST /api/alarms/:id/return-to-service', OptionalComment],
  ['POST /api/alarm-rules/:id/disable', disableBody],
  ['POST /api/control/points/*id/command', CommandBody],
  ['POST /api/control/points/*id/release', ReleaseBody],
  ['PUT /api/control/schedules', PutBody],
  ['POST /api/control/schedules/preview', PreviewBody],
  ['POST /api/broadcast', SendBody],
  ['POST /api/cameras/:id/ptz', ptzBody],
  ['POST /api/cameras/:id/clips', clipBody],
  ['POST /api/workorders', CreateBody],
  ['POST /api/workorders/from-alarm/:alarmId', FromAlarmBody],
  ['POST /api/workorders/from-patrol', FromPatrolBody],
  ['POST /api/workorders/:id/steps', StepBody],
  ['POST /api/workorders/:id/photos', PhotoBody],
  ['POST /api/workorders/:id/rating', RateBody],
]);
