// The PTZ position of a camera from its analog points (config: `source: {kind: ptz, axis}`),
// which the driver refreshes every pollMs; PTZ answers give it sooner (see ptz-controls.ts).
// The point model does not expose the source, so the axis is the point id's last segment.
import type { PointView } from '../../../contracts/api.js';
import type { ApiClient } from '../api.js';
import type { CameraInfo, PtzPosition } from './camera-types.js';

/** Position from the camera's points; undefined unless all three axes have a good number. */
export function positionFromPoints(points: readonly Pick<PointView, 'id' | 'kind' | 'state'>[]): PtzPosition | undefined {
  const found: Partial<PtzPosition> = {};
  for (const p of points) {
    const axis = p.id.split('/').at(-1);
    if (p.kind !== 'analog' || (axis !== 'pan' && axis !== 'tilt' && axis !== 'zoom')) continue;
    const v = p.state?.value;
    if (typeof v === 'number' && p.state?.quality === 'good') found[axis] = v;
  }
  return found.pan !== undefined && found.tilt !== undefined && found.zoom !== undefined ? (found as PtzPosition) : undefined;
}

/** Point id prefixes of the camera's devices: `<site>/<building>/<floor>/<room>/<device>/`. */
export function cameraPointPrefixes(siteId: string, camera: Pick<CameraInfo, 'location' | 'devices'>): string[] {
  if (!camera.location) return [];
  return camera.devices.map((d) => `${siteId}/${camera.location}/${d}/`);
}

export function positionReader(api: Pick<ApiClient, 'allPoints'>, siteId: string, camera: Pick<CameraInfo, 'location' | 'devices'>): () => Promise<PtzPosition | undefined> {
  const prefixes = cameraPointPrefixes(siteId, camera);
  return async () => {
    for (const prefix of prefixes) {
      const p = positionFromPoints(await api.allPoints({ prefix }));
      if (p) return p;
    }
    return undefined;
  };
}
