// The DuckDB peer of `tailor analyze`: records per principal, eventSource,
// eventName and outcome, over every *.json.gz delivery file under a trail
// directory, read with declared columns (only the fields the query needs,
// as tailor decodes only what it uses). Prints the number of result rows.
//
//   DUCKDB_NODE_PREFIX=DIR node benchmarks/duckdb.mjs TRAIL_DIR
//   DUCKDB_NODE_PREFIX=DIR node benchmarks/duckdb.mjs --version
//
// DIR is where `npm install --prefix DIR @duckdb/node-api@VERSION` put the
// package (benchmarks/run.sh keeps it outside the repository); without it
// the package is resolved from this file's directory as usual.
import { createRequire } from 'node:module';
import path from 'node:path';

const prefix = process.env.DUCKDB_NODE_PREFIX;
const require = createRequire(prefix ? path.join(path.resolve(prefix), 'package.json') : import.meta.url);
const { DuckDBInstance, version } = require('@duckdb/node-api');

const arg = process.argv[2];
if (!arg) {
  console.error('usage: node benchmarks/duckdb.mjs TRAIL_DIR | --version');
  process.exit(2);
}

const instance = await DuckDBInstance.create(':memory:');
const conn = await instance.connect();

if (arg === '--version') {
  // Loads the native binding and runs a query: a check that it works here.
  const r = await conn.runAndReadAll('SELECT 1');
  console.log(`DuckDB ${version()}`);
  process.exit(r.currentRowCount === 1 ? 0 : 1);
}

const glob = path.join(path.resolve(arg), '**', '*.json.gz').replaceAll("'", "''");
const record = `STRUCT(
  eventSource VARCHAR,
  eventName VARCHAR,
  errorCode VARCHAR,
  userIdentity STRUCT(arn VARCHAR, sessionContext STRUCT(sessionIssuer STRUCT(arn VARCHAR)))
)[]`;
const sql = `
SELECT principal, eventSource, eventName, outcome, count(*) AS records
FROM (
  SELECT coalesce(r.userIdentity.sessionContext.sessionIssuer.arn, r.userIdentity.arn) AS principal,
         r.eventSource AS eventSource,
         r.eventName AS eventName,
         coalesce(r.errorCode, 'ok') AS outcome
  FROM (
    SELECT unnest(Records) AS r
    FROM read_json('${glob}',
                   format = 'auto',
                   columns = {Records: '${record.replaceAll('\n', ' ')}'},
                   maximum_object_size = 536870912)
  )
)
GROUP BY ALL`;

const reader = await conn.runAndReadAll(sql);
console.log(reader.currentRowCount);
