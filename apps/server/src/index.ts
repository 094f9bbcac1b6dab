export { type AppOptions, buildApp } from './app';
export { type Config, loadConfig } from './config';
export { type Database, openDatabase } from './db/database';
export { migrateToLatest } from './db/migrate';
