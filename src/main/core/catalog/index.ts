export { Catalog, openCatalog, type CatalogTx, type SqlParams } from './catalog';
export { migrations, LATEST_SCHEMA_VERSION, type Migration } from './migrations';
