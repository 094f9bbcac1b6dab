/**
 * @clinicdesk/desktop for other parts of the workspace (benchmarks, tooling): the main-process
 * services, the web host and the search-as-you-type benchmark hook. Nothing here loads Electron.
 */
export {
  type BenchDesk,
  type BenchDeskOptions,
  measureSearchAsYouType,
  openDeskForBench,
} from './bench/search-ui.bench-hook';
export { type AppServices, type AppServicesOptions, createAppServices } from './main/services/app-services';
export { ensureRendererBuilt } from './web-host/build-renderer';
export { startWebHost, type WebHost, type WebHostOptions } from './web-host/web-host';
