// node-opcua, loaded with require(): as an ESM import, Node first scans every CommonJS module of
// the package for its exports (cjs-module-lexer), ~0.3 s of CPU on top of loading it; the server is
// the slowest simulator of `npm start` to come up (docs/performance.md, "Cold start"). Types come
// from the package as usual (import type).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const opcua = require('node-opcua') as typeof import('node-opcua');

export const {
  ConditionInfo, DataType, MessageSecurityMode, OPCUACertificateManager, OPCUAServer, PermissionType, SecurityPolicy, StatusCodes,
  UserTokenType, Variant, WellKnownRoles, makeEUInformation, resolveNodeId, standardUnits,
} = opcua;
// The same names as types, where the code uses a class or an enum as a type too.
export type DataType = import('node-opcua').DataType;
export type Variant = import('node-opcua').Variant;
export type OPCUAServer = import('node-opcua').OPCUAServer;
export type ConditionInfo = import('node-opcua').ConditionInfo;
export type MessageSecurityMode = import('node-opcua').MessageSecurityMode;
export type UserTokenType = import('node-opcua').UserTokenType;
