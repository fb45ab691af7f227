/**
 * Looker API 4.0 simulator: an in-process server with the operations a Looker refresh hook uses
 * (login, datagroups, PDT builds, scheduled plans), and a checker of HTTP exchanges against the
 * official Looker API 4.0 OpenAPI document. See README.md in this folder.
 */
export {
  ACCEPTED_QUERY,
  DOCUMENTATION_URL,
  LOOKER_API_PREFIX,
  SIMULATOR_ROUTES,
  startLookerSimulator,
  type InjectedFault,
  type LookerSimulator,
  type LookerSimulatorOptions,
  type PdtMaterialization,
  type RecordedExchange,
  type SimulatedDatagroup,
  type SimulatedPdt,
  type SimulatedScheduledPlan,
} from './src/simulator.js';
export {
  LOOKER_SPEC_PATH,
  LookerSpec,
  lookerSpecAvailable,
  UNDECLARED_LOOKER_STATUSES,
  type ExchangeToCheck,
  type Operation,
  type RecordedExchangeToCheck,
} from './src/openapi.js';
