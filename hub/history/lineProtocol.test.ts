import { describe, expect, it } from 'vitest';
import type { Sample } from '../../contracts/point.js';
import { LineEncoder, lineTimestamp, pointTags, sampleFields, seriesPrefix } from './lineProtocol.js';
import { pointInfo } from './testHarness.js';

const ID = 'hq/a/l03/archive-301/env-1/humidity';

describe('line protocol', () => {
  it.each([
    ['float stays float (no i suffix)', { value: 1 }, 'value=1,quality="good"'],
    ['fraction', { value: 21.5 }, 'value=21.5,quality="good"'],
    ['large number in exponent form', { value: 1e21 }, 'value=1e+21,quality="good"'],
    ['boolean true → 1 and value_bool', { value: true }, 'value=1,value_bool=true,quality="good"'],
    ['boolean false', { value: false }, 'value=0,value_bool=false,quality="good"'],
    ['string with quotes and backslash', { value: 'a "b" \\c' }, 'value_str="a \\"b\\" \\\\c",quality="good"'],
    ['null value keeps the quality', { value: null, quality: 'comm_fail' as const, detail: 'timeout' }, 'quality="comm_fail",detail="timeout"'],
    ['NaN is not written as a value; said so in detail', { value: NaN }, 'quality="good",detail="non-finite value NaN"'],
    ['source timestamp as integer field', { value: 2, sourceTs: 1700000000123 }, 'value=2,quality="good",source_ts=1700000000123i'],
  ])('%s', (_name, partial, fields) => {
    expect(sampleFields({ pointId: ID, quality: 'good', readTs: 1, ...partial } as Sample)).toBe(fields);
  });

  it('puts location, kind, unit, brick and names in sorted, escaped tags', () => {
    const info = pointInfo(ID, 'analog', { unit: '%RH', brick: 'Humidity_Sensor', name: { en: 'Humidity, room 301', 'zh-CN': '档案室 301 湿度=x' } });
    expect(pointTags(info)).toMatchObject({ point: ID, site: 'hq', building: 'a', floor: 'l03', room: 'archive-301', equipment: 'env-1' });
    expect(seriesPrefix(pointTags(info))).toBe(
      'samples,brick=Humidity_Sensor,building=a,equipment=env-1,floor=l03,kind=analog,name=Humidity\\,\\ room\\ 301,name_zh=档案室\\ 301\\ 湿度\\=x,point=hq/a/l03/archive-301/env-1/humidity,room=archive-301,site=hq,unit=%RH',
    );
  });

  it('drops empty tag values and trailing backslashes, flattens newlines', () => {
    expect(seriesPrefix({ a: '', b: 'x\\\\', c: 'one\ntwo' })).toBe('samples,b=x,c=one\\ two');
  });

  it('encodes unknown points with tags from the id alone, time in ms', () => {
    const enc = new LineEncoder([]);
    const line = enc.encode({ pointId: ID, value: 3, quality: 'good', readTs: 1700000000123.4 });
    expect(line).toBe('samples,building=a,equipment=env-1,floor=l03,point=hq/a/l03/archive-301/env-1/humidity,room=archive-301,site=hq value=3,quality="good" 1700000000123');
    expect(lineTimestamp(line)).toBe(1700000000123);
    expect(lineTimestamp('garbage')).toBeNull();
  });
});
