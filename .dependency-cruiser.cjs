// Layer rules of DESIGN.md, enforced by `npm run lint:layers` (part of `npm test`).
//
//   contracts/   imports nothing of the project (type-only npm imports such as zod's ZodType are fine)
//   lib/         imports nothing of the project (shared runtime pieces: the durable spool of hub and edge)
//   drivers/     never import hub/, console/ or simulators/
//   simulators/  never import drivers/ or hub/ (a simulator sharing the driver's code would hide its bugs)
//   console/     imports only contracts/ and itself
//   floorplans/  imports only contracts/ and itself (geometry types shared with the console are in contracts/geometry.ts)
//   hub/         never imports console/ (it serves the built console)
//   everywhere   no import circles
//
// Tests (*.test.ts) and the test helpers under test/ are exempt from the *layer* rules, never from
// the no-circle rule: a test is where a driver meets its simulator and the hub, on purpose. That is
// why the driver conformance fixtures live in test/conformance/, not beside the drivers' runtime.
const TEST = '(^|/)[^/]+\\.test\\.ts$|^test/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import circle makes start order and module initialisation depend on who imports first.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'contracts-import-nothing',
      severity: 'error',
      comment: 'contracts/ holds the types that cross a boundary; it must not depend on any side of it.',
      from: { path: '^contracts/', pathNot: TEST },
      to: { path: '^(hub|drivers|console|simulators|floorplans|scripts|bench|test|config)/' },
    },
    {
      name: 'lib-imports-nothing',
      severity: 'error',
      comment: 'lib/ holds runtime pieces both the hub and the edge use; it must depend on neither.',
      from: { path: '^lib/', pathNot: TEST },
      to: { path: '^(contracts|hub|drivers|edge|console|simulators|floorplans|scripts|bench|test|config)/' },
    },
    {
      name: 'drivers-not-to-hub-console-simulators',
      severity: 'error',
      comment: 'Drivers implement contracts/driver.ts and get everything else through their context.',
      from: { path: '^drivers/', pathNot: TEST },
      to: { path: '^(hub|console|simulators|floorplans|scripts|bench|test)/' },
    },
    {
      name: 'simulators-not-to-drivers-hub',
      severity: 'error',
      comment: 'A simulator shares no code with the driver it tests, and knows nothing of the hub.',
      from: { path: '^simulators/', pathNot: TEST },
      to: { path: '^(drivers|hub|console)/' },
    },
    {
      name: 'console-only-contracts',
      severity: 'error',
      comment: 'The browser app imports only the shared contracts from the server side.',
      from: { path: '^console/', pathNot: TEST },
      to: { path: '^(hub|drivers|simulators|floorplans|scripts|bench|test)/' },
    },
    {
      name: 'floorplans-only-contracts',
      comment: 'Geometry is data and pure functions: the hub reads it, it never reads the hub (scripts/ load config for it).',
      severity: 'error',
      from: { path: '^floorplans/', pathNot: TEST },
      to: { path: '^(hub|drivers|console|simulators|scripts|bench|test)/' },
    },
    {
      name: 'edge-not-to-hub-console',
      severity: 'error',
      comment: 'The edge agent runs beside a building\'s devices without a hub: it uses drivers and contracts only.',
      from: { path: '^edge/', pathNot: TEST },
      to: { path: '^(hub|console|simulators|floorplans|scripts|bench|test)/' },
    },
    {
      name: 'hub-not-to-console',
      severity: 'error',
      comment: 'The hub serves the built console; it never compiles or imports console sources at run time.',
      from: { path: '^hub/', pathNot: TEST },
      to: { path: '^console/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|data)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'] },
    moduleSystems: ['es6', 'cjs'],
  },
};
