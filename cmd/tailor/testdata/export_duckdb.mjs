// Reads a tailor export with DuckDB, the second reader of the export tests
// (exportcmd_test.go): prints one JSON object with the columns and their
// types, the row count, the README's query and the file's version.
//
//   DUCKDB_NODE_PREFIX=DIR node export_duckdb.mjs FILE.parquet
import { createRequire } from 'node:module';
import path from 'node:path';

const prefix = process.env.DUCKDB_NODE_PREFIX;
const require = createRequire(path.join(path.resolve(prefix), 'package.json'));
const { DuckDBInstance } = require('@duckdb/node-api');

const file = path.resolve(process.argv[2]).replaceAll("'", "''");
const conn = await (await DuckDBInstance.create(':memory:')).connect();
const rows = async (sql) => (await conn.runAndReadAll(sql)).getRowObjectsJson();

const out = {
  columns: (await rows(`DESCRIBE SELECT * FROM '${file}'`)).map((r) => `${r.column_name} ${r.column_type}`),
  count: Number((await rows(`SELECT count(*) AS n FROM '${file}'`))[0].n),
  byAction: (await rows(`SELECT principal, action, count(*) AS n FROM '${file}' GROUP BY ALL ORDER BY 3 DESC, 1, 2`))
    .map((r) => `${r.principal} ${r.action} ${r.n}`),
  firstTime: (await rows(`SELECT strftime(min(event_time) AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%g') AS t FROM '${file}'`))[0].t,
  version: (await rows(`SELECT decode(value) AS v FROM parquet_kv_metadata('${file}') WHERE decode(key) = 'tailor.export.version'`))[0].v,
};
console.log(JSON.stringify(out));
