// NodeId text forms. Configs name nodes by namespace URI (`nsu=urn:…;s=…`) so
// they survive a server renumbering its namespaces; after connect the URI is
// resolved to the index the server uses today.

export interface ParsedNodeId {
  /** Present for `nsu=` forms. */
  namespaceUri?: string;
  /** Present for `ns=` forms and bare forms (0). */
  namespaceIndex?: number;
  type: 'i' | 's' | 'g' | 'b';
  identifier: string;
}

const ID_RE = /^(i|s|g|b)=([\s\S]+)$/;

/** Parses `nsu=URI;s=X`, `ns=2;i=5`, `i=2258`, `s=X`. Returns `{ error }` with the reason otherwise. */
export function parseNodeIdText(text: string): ParsedNodeId | { error: string } {
  let rest = text.trim();
  let namespaceUri: string | undefined;
  let namespaceIndex: number | undefined;
  const nsu = /^nsu=([^;]+);/.exec(rest);
  const ns = /^ns=(\d+);/.exec(rest);
  if (nsu) {
    namespaceUri = nsu[1];
    rest = rest.slice(nsu[0].length);
  } else if (ns) {
    namespaceIndex = Number(ns[1]);
    if (namespaceIndex > 65535) return { error: `namespace index ${namespaceIndex} out of range 0..65535` };
    rest = rest.slice(ns[0].length);
  } else {
    namespaceIndex = 0;
  }
  const id = ID_RE.exec(rest);
  if (!id) return { error: `"${text}" is not a NodeId (expected e.g. nsu=urn:watchfloor:hvac;s=AHU-1.SupplyAirTemp or ns=2;i=1001)` };
  const type = id[1] as ParsedNodeId['type'];
  const identifier = id[2];
  if (type === 'i' && !/^\d+$/.test(identifier)) return { error: `"${text}": numeric identifier must be digits` };
  if (type === 'i' && Number(identifier) > 0xffffffff) return { error: `"${text}": numeric identifier out of range` };
  if (type === 'g' && !/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(identifier)) {
    return { error: `"${text}": GUID identifier malformed` };
  }
  return { namespaceUri, namespaceIndex, type, identifier };
}

/**
 * Turns a parsed NodeId into the `ns=N;…` form node-opcua accepts, using the
 * server's NamespaceArray. Throws naming the URI when the server lacks it.
 */
export function resolveNodeId(parsed: ParsedNodeId, namespaceArray: readonly string[]): string {
  let index = parsed.namespaceIndex ?? 0;
  if (parsed.namespaceUri !== undefined) {
    index = namespaceArray.indexOf(parsed.namespaceUri);
    if (index < 0) throw new Error(`namespace "${parsed.namespaceUri}" not offered by the server (it has: ${namespaceArray.join(', ')})`);
  }
  return `ns=${index};${parsed.type}=${parsed.identifier}`;
}

/** `ns=2;s=X` + array → `nsu=<uri>;s=X` (ns=0 stays bare: it is the fixed OPC UA namespace). */
export function toNsuForm(nodeIdText: string, namespaceArray: readonly string[]): string {
  const parsed = parseNodeIdText(nodeIdText);
  if ('error' in parsed) return nodeIdText;
  const index = parsed.namespaceIndex ?? 0;
  if (parsed.namespaceUri !== undefined || index === 0) return nodeIdText;
  const uri = namespaceArray[index];
  return uri ? `nsu=${uri};${parsed.type}=${parsed.identifier}` : nodeIdText;
}
