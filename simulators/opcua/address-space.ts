// Builds the HVAC address space (namespace urn:watchfloor:hvac) from the plant
// spec: a folder per equipment under Objects/HVAC, AnalogItems with
// EngineeringUnits and EURange for measurements, writable setpoints.
import type { AddressSpace, Namespace, NodeId, StatusCode, UAVariable } from 'node-opcua';
import { DataType, StatusCodes, Variant, makeEUInformation, resolveNodeId, standardUnits } from './lib.js';
import type { Unit, VariableSpec, FolderSpec } from './plant.js';

export const HVAC_NAMESPACE_URI = 'urn:watchfloor:hvac';

const UNITS: Record<Unit, ReturnType<typeof makeEUInformation>> = {
  degC: standardUnits.degree_celsius,
  kW: standardUnits.kilowatt,
  percent: standardUnits.percent,
  Pa: standardUnits.pascal,
  m3h: standardUnits.cubic_metre_per_hour,
  ppm: standardUnits.part_per_million,
};

const DATA_TYPES: Record<VariableSpec['type'], DataType> = {
  Double: DataType.Double,
  Boolean: DataType.Boolean,
  Int16: DataType.Int16,
  Int32: DataType.Int32,
};

export function variantOf(spec: Pick<VariableSpec, 'type'>, value: number | boolean): Variant {
  return new Variant({ dataType: DATA_TYPES[spec.type], value });
}

/**
 * Adds folders and variables; returns the variables by path. `onWrite` is called
 * when a client writes a value (after range checks), so the plant model sees it.
 */
export function buildAddressSpace(
  addressSpace: AddressSpace,
  spec: { folders: FolderSpec[]; variables: VariableSpec[] },
  onWrite: (path: string, value: number | boolean) => void,
): { namespace: Namespace; nodes: Map<string, UAVariable> } {
  const namespace = addressSpace.registerNamespace(HVAC_NAMESPACE_URI);
  const root = namespace.addFolder(addressSpace.rootFolder.objects, { nodeId: 's=HVAC', browseName: 'HVAC' });
  const folders = new Map<string, ReturnType<Namespace['addFolder']>>();
  for (const f of spec.folders) {
    folders.set(f.name, namespace.addFolder(root, { nodeId: `s=${f.name}`, browseName: f.name, description: f.description }));
  }
  const nodes = new Map<string, UAVariable>();
  for (const v of spec.variables) {
    const parent = folders.get(v.folder);
    if (!parent) throw new Error(`variable ${v.path}: unknown folder ${v.folder}`);
    const common = {
      componentOf: parent,
      nodeId: `s=${v.path}`,
      browseName: v.name,
      description: v.description,
      accessLevel: v.writable ? 'CurrentRead | CurrentWrite' : 'CurrentRead',
      userAccessLevel: v.writable ? 'CurrentRead | CurrentWrite' : 'CurrentRead',
      minimumSamplingInterval: 100,
    } as const;
    let node: UAVariable;
    if (v.type === 'Double' && v.unit) {
      node = namespace.addAnalogDataItem({
        ...common,
        dataType: 'Double',
        engineeringUnits: UNITS[v.unit],
        engineeringUnitsRange: v.range ?? { low: 0, high: 100 },
        // Writes outside the instrument range are refused by the server (BadOutOfRange).
        instrumentRange: v.writable ? v.range : undefined,
      }) as unknown as UAVariable;
    } else if (v.states) {
      // A discrete state (MultiStateDiscreteType with EnumStrings): browse proposes `kind: multistate` with its texts.
      node = namespace.addMultiStateDiscrete({ ...common, dataType: v.type, enumStrings: v.states, value: Number(v.initial) }) as unknown as UAVariable;
      // node-opcua forces DataType Number and asserts UInt32 values on write (BadInternalError for
      // anything else): keep the plant's declared type and check the state index ourselves.
      const states = v.states.length;
      const declared = DataType[v.type as keyof typeof DataType] as DataType;
      (node as unknown as { dataType: NodeId }).dataType = resolveNodeId(declared);
      (node as unknown as { checkVariantCompatibility(x: Variant): StatusCode }).checkVariantCompatibility = (x) =>
        x.dataType !== declared ? StatusCodes.BadTypeMismatch : x.value < 0 || x.value >= states ? StatusCodes.BadOutOfRange : StatusCodes.Good;
    } else {
      node = namespace.addVariable({ ...common, dataType: v.type });
    }
    node.setValueFromSource(variantOf(v, v.initial), StatusCodes.Good, new Date());
    if (v.writable) {
      node.on('value_changed', (dv) => {
        const value = dv.value.value as number | boolean;
        if (dv.statusCode.isGood() && (typeof value === 'number' || typeof value === 'boolean')) onWrite(v.path, value);
      });
    }
    nodes.set(v.path, node);
  }
  return { namespace, nodes };
}
