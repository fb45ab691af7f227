/**
 * SAP Business One Service Layer simulator: a library for tests (start it on a free loopback port, drive it)
 * and, through cli.ts, a command. The package's only entry point: see README.md in this folder.
 */
export { startServiceLayerSimulator, DEFAULTS as SIMULATOR_DEFAULTS } from './src/simulator.js';
export { serviceLayerMetadata } from './src/metadata.js';
export type {
  AccountPeriod,
  BatchStock,
  BooksGroundTruth,
  Dialect,
  ItemWarehouseStock,
  FaultKind,
  FaultRule,
  KeyPicker,
  Mutation,
  MutationResult,
  RequestLogEntry,
  ServiceLayerSimulator,
  ServiceTiming,
  SimulatorClock,
  SimulatorOptions,
  SimulatorStats,
} from './src/types.js';
