import { describe, expect, it } from 'vitest';
import { answerLength } from './rtu-port.js';

const req = (hex: string) => Buffer.from(hex.replace(/ /g, ''), 'hex');

describe('answerLength (RTU answer framing, CRC bytes included)', () => {
  it.each([
    ['FC1 10 coils', '07 01 0000 000a', 3 + 2 + 2],
    ['FC2 16 inputs', '07 02 0000 0010', 3 + 2 + 2],
    ['FC3 125 registers', '07 03 0000 007d', 3 + 250 + 2],
    ['FC4 2 registers', '07 04 0010 0002', 3 + 4 + 2],
    ['FC5 echo', '07 05 0001 ff00', 8],
    ['FC6 echo', '07 06 0001 1234', 8],
    ['FC15 header', '07 0f 0000 0010 02 ffff', 8],
    ['FC16 header', '07 10 0000 0002 04 00010002', 8],
    ['FC22 echo', '07 16 0032 fff7 0008', 10],
    ['FC23 reads 2', '07 17 003c 0002 003c 0002 04 41ac0000', 3 + 4 + 2],
    ['FC43 unknown', '07 2b 0e 01 00', null],
  ])('%s', (_, hex, len) => expect(answerLength(req(hex))).toBe(len));
});
