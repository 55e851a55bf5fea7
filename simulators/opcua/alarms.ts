// OPC UA Alarms & Conditions of the HVAC simulator. The conditions watch plant variables
// (inputNode) so they activate from the simulated physics or a scenario, exactly like a plant
// controller would: an ExclusiveLimitAlarm on the chilled-water supply temperature and an
// OffNormalAlarm on AHU-1's fan fault. Events reach the Server object through an `Alarms`
// notifier object, so a client subscribing on the Server (the OPC UA default) sees them.
import type { AddressSpace, Namespace, UAVariable } from 'node-opcua';
import { ConditionInfo, DataType, StatusCodes } from './lib.js';

/** Conditions the simulator exposes (browse name under Objects/Alarms; also the string NodeId). */
export const SIM_CONDITIONS = {
  chwHigh: 'Chiller-1.SupplyWaterTempHigh',
  fanFault: 'AHU-1.FanFaultAlarm',
} as const;

/** Chilled-water supply limits (°C): the chiller is meant to hold 7 °C; below 2 °C the evaporator risks freezing. */
export const CHW_LIMITS = { low: 2, high: 12, highHigh: 16 };

/** The RTN event keeps the severity (node-opcua would send 0), so it maps to the same priority as the activation. */
function info(severity: number, message: string): ConditionInfo {
  return new ConditionInfo({ message, severity, quality: StatusCodes.Good, retain: true });
}

export function buildAlarms(addressSpace: AddressSpace, namespace: Namespace, nodes: ReadonlyMap<string, UAVariable>): void {
  // Installs the ConditionRefresh and Acknowledge/Confirm method handlers on the types.
  addressSpace.installAlarmsAndConditionsService();
  const server = addressSpace.rootFolder.objects.server;
  const alarms = namespace.addObject({
    nodeId: 's=Alarms',
    browseName: 'Alarms',
    description: 'Alarms & Conditions of the HVAC plant',
    eventNotifier: 0x01,
    notifierOf: server,
    organizedBy: addressSpace.rootFolder.objects,
  });
  const source = (path: string): UAVariable => {
    const n = nodes.get(path);
    if (!n) throw new Error(`alarms: unknown variable ${path}`);
    // The variable becomes an event source of the notifier, so its conditions' events reach the Server.
    alarms.addReference({ referenceType: 'HasEventSource', nodeId: n });
    return n;
  };

  const chw = source('Chiller-1.SupplyWaterTemp');
  const chwAlarm = namespace.instantiateExclusiveLimitAlarm('ExclusiveLimitAlarmType', {
    nodeId: `s=${SIM_CONDITIONS.chwHigh}`,
    browseName: SIM_CONDITIONS.chwHigh,
    conditionName: SIM_CONDITIONS.chwHigh,
    componentOf: alarms,
    conditionSource: chw,
    inputNode: chw,
    lowLimit: CHW_LIMITS.low,
    highLimit: CHW_LIMITS.high,
    highHighLimit: CHW_LIMITS.highHigh,
  });
  chwAlarm.calculateConditionInfo = (stateName, active, value) =>
    info(700, active ? `Chilled water supply ${value} °C (${stateName})` : 'Chilled water supply back to normal');

  const fault = source('AHU-1.FanFault');
  const normal = namespace.addVariable({
    nodeId: 's=AHU-1.FanFault.NormalState',
    browseName: 'FanFaultNormalState',
    componentOf: alarms,
    dataType: 'Boolean',
    value: { dataType: DataType.Boolean, value: false },
  });
  const fanAlarm = namespace.instantiateOffNormalAlarm({
    nodeId: `s=${SIM_CONDITIONS.fanFault}`,
    browseName: SIM_CONDITIONS.fanFault,
    conditionName: SIM_CONDITIONS.fanFault,
    componentOf: alarms,
    conditionSource: fault,
    inputNode: fault,
    normalState: normal,
  });
  fanAlarm.calculateConditionInfo = (_stateName, active) =>
    info(900, active ? 'AHU-1 supply fan failure' : 'AHU-1 supply fan back to normal');
}
