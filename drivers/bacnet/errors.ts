// What an error from the npm BACnet stack means for a point: the device is gone (comm_fail), or it
// answered with a BACnet Error/Reject/Abort (bad, with the standard's names for class and code).
import { createRequire } from 'node:module';

// The stack's enums, loaded at the first error to classify (by then the driver runs and has loaded the
// stack): importing this file must not load it (config validation, docs/performance.md "Cold start").
type Enums = Pick<typeof import('@bacnet-js/client'), 'AbortReason' | 'ErrorClass' | 'ErrorCode' | 'RejectReason'>;
let enums: Enums | undefined;
const stack = (): Enums => (enums ??= createRequire(import.meta.url)('@bacnet-js/client') as Enums);

const nameOf = (e: Record<string, string | number>, v: number) => {
  const n = Object.keys(e).find((k) => e[k] === v && Number.isNaN(Number(k)));
  return n ? n.toLowerCase().replace(/_/g, '-') : String(v);
};

export interface ClassifiedError {
  /** True when the device did not answer at all (timeout, socket gone). */
  commFail: boolean;
  /** The device refused the service itself (Reject unrecognized-service, Abort segmentation). */
  unsupported: boolean;
  message: string;
  errorClass?: number;
  errorCode?: number;
}

/** Pure: an Error from the stack → what happened, named as ASHRAE 135 names it. */
export function classify(err: unknown): ClassifiedError {
  const msg = err instanceof Error ? err.message : String(err);
  if (msg === 'ERR_TIMEOUT') return { commFail: true, unsupported: false, message: 'no response within the APDU timeout' };
  if (msg === 'ERR_CLOSED') return { commFail: true, unsupported: false, message: 'connection closed' };
  const e = /^BacnetError - Class:(\d+) - Code:(\d+)/.exec(msg);
  if (e) {
    const { ErrorClass, ErrorCode } = stack();
    const errorClass = Number(e[1]);
    const errorCode = Number(e[2]);
    return {
      commFail: false,
      unsupported: errorCode === ErrorCode.SERVICE_REQUEST_DENIED || errorCode === ErrorCode.OPTIONAL_FUNCTIONALITY_NOT_SUPPORTED,
      message: `BACnet error ${nameOf(ErrorClass as never, errorClass)}: ${nameOf(ErrorCode as never, errorCode)}`,
      errorClass,
      errorCode,
    };
  }
  const a = /^BacnetAbort - Reason:(\d+)/.exec(msg);
  if (a) {
    const { AbortReason, RejectReason } = stack();
    // The stack reports Reject and Abort alike; reason 9 (reject unrecognized-service) and
    // 4 (abort segmentation-not-supported) mean "this service/size is not for this device".
    const reason = Number(a[1]);
    return {
      commFail: false,
      unsupported: reason === RejectReason.UNRECOGNIZED_SERVICE || reason === AbortReason.SEGMENTATION_NOT_SUPPORTED,
      message: `BACnet reject/abort reason ${reason} (${nameOf(RejectReason as never, reason)} / ${nameOf(AbortReason as never, reason)})`,
    };
  }
  // Socket errors (EHOSTUNREACH, ENETUNREACH): the device cannot be reached.
  if (/^(E[A-Z]+|send )/.test(msg) || /ECONNREFUSED|EHOSTUNREACH|ENETUNREACH/.test(msg)) return { commFail: true, unsupported: false, message: msg };
  return { commFail: false, unsupported: false, message: msg };
}
