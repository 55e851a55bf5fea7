// node-opcua's client half, loaded with require(). The `node-opcua` package is client and server
// together (~1.2 s of CPU to load here, as an ESM import); the client alone through require() is
// about half that: no server code, and require() skips the ESM loader's scan of every CommonJS
// module's exports (cjs-module-lexer). The driver loads it in prepare(), during the hub's cold
// start (docs/performance.md, "Cold start"). Types come from the packages as usual (import type).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const client = require('node-opcua-client') as typeof import('node-opcua-client');
const certificates = require('node-opcua-certificate-manager') as typeof import('node-opcua-certificate-manager');

export const {
  AttributeIds, BrowseDirection, DataChangeFilter, DataChangeTrigger, DataType, DeadbandType, MessageSecurityMode,
  NodeClass, OPCUAClient, ReferenceTypeIds, SecurityPolicy, TimestampsToReturn, UserTokenType, constructEventFilter,
} = client;
export const { OPCUACertificateManager } = certificates;
// The same names as types, where the code uses a class or an enum as a type too.
export type AttributeIds = import('node-opcua-client').AttributeIds;
export type NodeClass = import('node-opcua-client').NodeClass;
export type OPCUAClient = import('node-opcua-client').OPCUAClient;
export type OPCUACertificateManager = import('node-opcua-certificate-manager').OPCUACertificateManager;
