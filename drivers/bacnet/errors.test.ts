import { describe, expect, it } from 'vitest';
import { classify } from './errors.js';

describe('classify', () => {
  it.each([
    ['ERR_TIMEOUT', { commFail: true, unsupported: false, message: 'no response within the APDU timeout' }],
    ['ERR_CLOSED', { commFail: true, unsupported: false, message: 'connection closed' }],
    ['BacnetError - Class:2 - Code:40', { commFail: false, unsupported: false, message: 'BACnet error property: write-access-denied', errorClass: 2, errorCode: 40 }],
    ['BacnetError - Class:1 - Code:31', { commFail: false, unsupported: false, message: 'BACnet error object: unknown-object', errorClass: 1, errorCode: 31 }],
    ['BacnetError - Class:5 - Code:29', { commFail: false, unsupported: true, message: 'BACnet error services: service-request-denied', errorClass: 5, errorCode: 29 }],
  ])('%s', (msg, want) => expect(classify(new Error(msg))).toEqual(want));

  it('reject unrecognized-service and abort segmentation-not-supported mean "not for this device"', () => {
    expect(classify(new Error('BacnetAbort - Reason:9')).unsupported).toBe(true);
    expect(classify(new Error('BacnetAbort - Reason:4')).unsupported).toBe(true);
    expect(classify(new Error('BacnetAbort - Reason:5')).unsupported).toBe(false);
  });

  it('socket errors are communication failures', () => expect(classify(new Error('send EHOSTUNREACH 10.0.0.9:47808')).commFail).toBe(true));
});
