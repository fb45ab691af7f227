/**
 * SAP Business One Service Layer simulator: a library for tests (start it on a free loopback port, drive it)
 * and, through cli.ts, a command. See README.md in this folder.
 */
export { startServiceLayerSimulator, DEFAULTS as SIMULATOR_DEFAULTS } from './src/simulator.js';
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
  SimulatorClock,
  SimulatorOptions,
  SimulatorStats,
} from './src/types.js';
