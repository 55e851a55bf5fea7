// `npm run opcua:browse -- opc.tcp://host:port [options]`: browses a server's
// address space and prints ready-to-paste point config YAML for its variables.
//   --security None|Sign|SignAndEncrypt   (Basic256Sha256 for the secure modes)
//   --username U --password P             (else anonymous)
//   --trust auto|manual                   (server certificate; default manual)
//   --data-dir DIR                        (PKI lives in DIR/opcua/pki; default ./data)
//   --root NODEID                         (start below this node; default Objects)
//   --all                                 (include namespace 0, e.g. the Server object)
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { ClientSession } from 'node-opcua-client';
import { AttributeIds, BrowseDirection, NodeClass, ReferenceTypeIds } from './lib.js';
import { browsedToYaml, type BrowsedVariable } from './browse-yaml.js';
import { connectClient, makeClient, openSession } from './client.js';
import { parseNodeIdText, resolveNodeId, toNsuForm } from './nodeid.js';
import { clientPkiDir } from './pki.js';
import { connectionSchema, type OpcuaConnectionOptions } from './schema.js';
import { builtInName } from './values.js';

const ACCESS_CURRENT_WRITE = 0x02;
const CHUNK = 500;

interface Ref {
  nodeId: string;
  browseName: string;
  nodeClass: NodeClass;
}

async function browseChildren(session: ClientSession, nodeIds: string[]): Promise<Ref[][]> {
  const out: Ref[][] = [];
  for (let i = 0; i < nodeIds.length; i += CHUNK) {
    const results = await session.browse(
      nodeIds.slice(i, i + CHUNK).map((nodeId) => ({
        nodeId,
        browseDirection: BrowseDirection.Forward,
        referenceTypeId: ReferenceTypeIds.HierarchicalReferences,
        includeSubtypes: true,
        nodeClassMask: NodeClass.Object | NodeClass.Variable,
        resultMask: 0x3f,
      })),
    );
    for (const r of results) {
      // Servers may page large results; follow continuation points to the end.
      const refs = [...(r.references ?? [])];
      let cp = r.continuationPoint;
      while (cp && cp.length) {
        const next = await session.browseNext(cp, false);
        refs.push(...(next.references ?? []));
        cp = next.continuationPoint;
      }
      out.push(refs.map((x) => ({ nodeId: x.nodeId.toString(), browseName: x.browseName.name ?? '', nodeClass: x.nodeClass })));
    }
  }
  return out;
}

async function readAll(session: ClientSession, reads: { nodeId: string; attributeId: AttributeIds }[]) {
  const out = [];
  for (let i = 0; i < reads.length; i += CHUNK) out.push(...(await session.read(reads.slice(i, i + CHUNK))));
  return out;
}

/** Walks the address space below `root` (breadth first) and describes every variable. */
export async function browseVariables(session: ClientSession, opts: { root?: string; includeNs0?: boolean; maxNodes?: number } = {}): Promise<BrowsedVariable[]> {
  const namespaces = await session.readNamespaceArray();
  const parsedRoot = parseNodeIdText(opts.root ?? 'i=85');
  if ('error' in parsedRoot) throw new Error(`--root: ${parsedRoot.error}`);
  const root = resolveNodeId(parsedRoot, namespaces);
  const maxNodes = opts.maxNodes ?? 50_000;
  const found: { ref: Ref; parent: string }[] = [];
  const seen = new Set<string>([root]);
  let frontier: { nodeId: string; name: string }[] = [{ nodeId: root, name: 'Objects' }];
  while (frontier.length && seen.size < maxNodes) {
    const children = await browseChildren(session, frontier.map((f) => f.nodeId));
    const next: typeof frontier = [];
    children.forEach((refs, i) => {
      for (const ref of refs) {
        if (seen.has(ref.nodeId)) continue;
        seen.add(ref.nodeId);
        if (!opts.includeNs0 && !/^ns=[1-9]/.test(ref.nodeId)) continue;
        if (ref.nodeClass === NodeClass.Variable) {
          // Properties (EURange, EngineeringUnits…) are metadata of their parent, not points.
          if (ref.browseName === 'EURange' || ref.browseName === 'EngineeringUnits' || ref.browseName === 'InstrumentRange' || ref.browseName === 'EnumStrings' || ref.browseName === 'EnumValues' || ref.browseName === 'Definition' || ref.browseName === 'ValuePrecision') continue;
          found.push({ ref, parent: frontier[i].name });
        } else {
          next.push({ nodeId: ref.nodeId, name: ref.browseName });
        }
      }
    });
    frontier = next;
  }

  const vars = found.map((f) => f.ref.nodeId);
  const attrs = await readAll(session, vars.flatMap((nodeId) => [
    { nodeId, attributeId: AttributeIds.DataType },
    { nodeId, attributeId: AttributeIds.AccessLevel },
    { nodeId, attributeId: AttributeIds.Description },
  ]));
  const props = await browseChildren(session, vars);
  const propReads: { nodeId: string; attributeId: AttributeIds; owner: number; name: string }[] = [];
  props.forEach((refs, owner) => {
    for (const r of refs) if (['EngineeringUnits', 'EURange', 'EnumStrings', 'EnumValues'].includes(r.browseName)) propReads.push({ nodeId: r.nodeId, attributeId: AttributeIds.Value, owner, name: r.browseName });
  });
  const propValues = await readAll(session, propReads);

  const result: BrowsedVariable[] = found.map((f, i) => {
    const dt = attrs[i * 3].value.value as { namespace: number; value: number } | null;
    const access = Number(attrs[i * 3 + 1].value.value ?? 0);
    const description = (attrs[i * 3 + 2].value.value as { text?: string } | null)?.text ?? undefined;
    const typeName = dt && dt.namespace === 0 ? builtInName(dt.value) ?? (dt.value === 21 ? 'LocalizedText' : `i=${dt.value}`) : dt ? `ns=${dt.namespace};i=${dt.value}` : 'unknown';
    return {
      nodeId: toNsuForm(f.ref.nodeId, namespaces),
      parent: f.parent,
      browseName: f.ref.browseName,
      description: description || undefined,
      dataType: typeName,
      writable: (access & ACCESS_CURRENT_WRITE) !== 0,
    };
  });
  propReads.forEach((p, k) => {
    const v = propValues[k].value.value as { displayName?: { text?: string }; low?: number; high?: number } | null;
    if (!v) return;
    if (p.name === 'EngineeringUnits' && v.displayName?.text) result[p.owner].unit = v.displayName.text;
    if (p.name === 'EURange' && typeof v.low === 'number' && typeof v.high === 'number') result[p.owner].range = { low: v.low, high: v.high };
    if (p.name === 'EnumStrings' || p.name === 'EnumValues') result[p.owner].enumerated = true;
    // EnumStrings is an array of LocalizedText: index = state value.
    if (p.name === 'EnumStrings' && Array.isArray(v)) result[p.owner].states = (v as Array<{ text?: string | null }>).map((t, i) => t?.text || String(i));
  });
  return result;
}

/** Connects with `options`, browses, disconnects. */
export async function browseServer(options: OpcuaConnectionOptions, dataDir: string, opts: { root?: string; includeNs0?: boolean } = {}): Promise<BrowsedVariable[]> {
  const pkiDir = clientPkiDir(dataDir);
  const client = makeClient(options, pkiDir);
  try {
    await connectClient(client, options, pkiDir);
    const session = await openSession(client, options);
    try {
      return await browseVariables(session, opts);
    } finally {
      await session.close().catch(() => undefined);
    }
  } finally {
    await client.disconnect().catch(() => undefined);
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      security: { type: 'string', default: 'None' },
      username: { type: 'string' },
      password: { type: 'string' },
      trust: { type: 'string', default: 'manual' },
      'data-dir': { type: 'string', default: path.resolve('data') },
      root: { type: 'string' },
      all: { type: 'boolean', default: false },
    },
  });
  if (positionals.length !== 1) {
    process.stderr.write('usage: npm run opcua:browse -- opc.tcp://host:port [--security SignAndEncrypt] [--username U --password P] [--trust auto] [--root NODEID]\n');
    process.exit(2);
  }
  const parsed = connectionSchema.safeParse({
    endpointUrl: positionals[0],
    securityMode: values.security,
    securityPolicy: values.security === 'None' ? 'None' : 'Basic256Sha256',
    username: values.username,
    password: values.password,
    trustServerCertificate: values.trust,
  });
  if (!parsed.success) {
    process.stderr.write(`opcua:browse: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}\n`);
    process.exit(2);
  }
  const vars = await browseServer(parsed.data, values['data-dir']!, { root: values.root, includeNs0: values.all });
  const { yaml, skipped } = browsedToYaml(parsed.data.endpointUrl, vars);
  process.stdout.write(yaml);
  process.stderr.write(`opcua:browse: ${vars.length - skipped.length} point(s) from ${vars.length} variable(s)\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    () => process.exit(0),
    (err) => {
      process.stderr.write(`opcua:browse: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
