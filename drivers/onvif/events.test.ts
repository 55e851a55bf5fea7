import { describe, expect, it } from 'vitest';
import { decodeNotification, eventValue, sameTopic, truthy } from './events.js';

// Shapes as the onvif package's parser (linerase) hands them over.
const msg = (topic: string, source: [string, string], data: [string, unknown], op = 'Changed') => ({
  topic: { _: topic, $: { Dialect: 'x' } },
  message: { message: { $: { UtcTime: new Date('2026-01-01T00:00:00Z'), PropertyOperation: op }, source: { simpleItem: { $: { Name: source[0], Value: source[1] } } }, data: { simpleItem: { $: { Name: data[0], Value: data[1] } } } } },
});

describe('ONVIF event decoding', () => {
  it('decodes topic, source, data, time', () => {
    expect(decodeNotification(msg('tns1:VideoSource/MotionAlarm', ['VideoSourceConfigurationToken', 'vs1'], ['State', true]))).toEqual({
      topic: 'tns1:VideoSource/MotionAlarm', source: { VideoSourceConfigurationToken: 'vs1' }, data: { State: true }, utcMs: Date.parse('2026-01-01T00:00:00Z'), operation: 'Changed',
    });
    expect(decodeNotification({ message: {} })).toBeUndefined();
  });

  it.each([
    ['motion true', msg('tns1:VideoSource/MotionAlarm', ['T', 'vs1'], ['State', true]), { topic: 'tns1:VideoSource/MotionAlarm' }, true],
    ['other prefix, same topic', msg('tnsaxis:VideoSource/MotionAlarm', ['T', 'vs1'], ['State', 'false']), { topic: 'tns1:VideoSource/MotionAlarm' }, false],
    ['other topic', msg('tns1:VideoSource/MotionAlarm', ['T', 'vs1'], ['State', true]), { topic: 'tns1:Device/Trigger/DigitalInput' }, undefined],
    ['input of another token', msg('tns1:Device/Trigger/DigitalInput', ['InputToken', 'DI2'], ['LogicalState', true]), { topic: 'tns1:Device/Trigger/DigitalInput', sourceValue: 'DI1' }, undefined],
    ['input of our token', msg('tns1:Device/Trigger/DigitalInput', ['InputToken', 'DI1'], ['LogicalState', 'true']), { topic: 'tns1:Device/Trigger/DigitalInput', sourceValue: 'DI1' }, true],
    ['named item missing', msg('tns1:VideoSource/MotionAlarm', ['T', 'vs1'], ['State', true]), { topic: 'tns1:VideoSource/MotionAlarm', item: 'IsMotion' }, undefined],
  ] as const)('%s', (_n, m, binding, want) => {
    expect(eventValue(decodeNotification(m)!, binding)).toBe(want);
  });

  it('topics and truthiness', () => {
    expect(sameTopic('tns1:A/B', 'tt:A/B/')).toBe(true);
    expect([truthy('1'), truthy('inactive'), truthy(0), truthy('maybe')]).toEqual([true, false, false, undefined]);
  });
});
