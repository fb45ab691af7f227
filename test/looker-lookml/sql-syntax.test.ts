/**
 * The BigQuery and Snowflake SQL of the generated LookML cannot run here, so it is checked two
 * ways. An independent SQL parser (node-sql-parser, with its BigQuery, Snowflake and PostgreSQL
 * grammars) must accept every derived table, the datagroup trigger, every field's SQL (wrapped in
 * a SELECT, with ${...} references and templated filters replaced as Looker would) and every join
 * condition. The parser checks syntax, not which functions a warehouse has, so every function the
 * SQL calls must also be on the list below, reviewed against each warehouse's documentation: a
 * new function fails this test until someone looks it up.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import sqlParser from 'node-sql-parser';
import { DIALECTS, type DialectName } from '../../src/looker/lookml/dialect.js';
import { allProjectFiles, generateLookmlProject } from '../../src/looker/lookml/index.js';
import { discoverCatalog } from './catalogs.js';
import { everyStreamCatalog, ISSUE_11_STREAMS, withoutStreams } from './every-stream.js';
import { allFields, parseProject, type ParsedModel } from './parsed-project.js';

const GRAMMAR: Record<DialectName, string> = { bigquery: 'BigQuery', snowflake: 'Snowflake', postgres: 'PostgresQL' };

/** How Looker writes {% date_start f %} in each dialect: a timestamp literal. */
const TIMESTAMP_LITERAL: Record<DialectName, string> = {
  bigquery: "TIMESTAMP('2024-03-31 00:00:00')",
  snowflake: "TO_TIMESTAMP('2024-03-31 00:00:00')",
  postgres: "TIMESTAMP '2024-03-31'",
};

/**
 * Functions the generated SQL may call, per dialect, each checked in the warehouse's reference:
 * - all three (ANSI): COALESCE, NULLIF, CAST, SUM, COUNT, MAX, ABS, LEAST, EXTRACT(part FROM date),
 *   ROUND(number, digits) (GoogleSQL mathematical functions, Snowflake ROUND, PostgreSQL 9.3
 *   Mathematical Functions: round(numeric, integer)), ROW_NUMBER() OVER (...) (window functions in
 *   all three references);
 * - BigQuery (GoogleSQL functions reference): DATE_DIFF(end, start, DAY), CURRENT_DATE(),
 *   TO_JSON_STRING(json), TIMESTAMP(string) (Looker's literal); JSON_QUERY_ARRAY(json) gives
 *   ARRAY<JSON>, JSON_VALUE(json, '$.member') a scalar as STRING, NULL for a JSON null (JSON
 *   functions); UNNEST(array) in FROM (query syntax, UNNEST operator); LAST_DAY(date) the last day
 *   of its month (date functions, month is the default part);
 * - Snowflake (SQL function reference): DATEDIFF(day, start, end), CURRENT_DATE(), TO_VARCHAR(variant),
 *   TO_TIMESTAMP(string) (Looker's literal); LATERAL FLATTEN(INPUT => array) one row per element in
 *   its VALUE column (FLATTEN takes VARIANT, OBJECT or ARRAY); GET(object, 'member'), cast to
 *   VARCHAR so that a JSON null becomes SQL NULL ("Considerations for semi-structured data", NULL
 *   values); LAST_DAY(date) (date and time functions, month by default);
 * - PostgreSQL 15 manual: date - date is a number of days; CAST(jsonb AS TEXT);
 *   jsonb_array_elements(jsonb) one row per element in a column named value, ->> a member as text
 *   (9.16 JSON Functions and Operators); date_trunc('month', date) (9.9 Date/Time Functions).
 */
const COMMON = ['COALESCE', 'NULLIF', 'CAST', 'SUM', 'COUNT', 'MAX', 'ABS', 'LEAST', 'EXTRACT', 'ROUND', 'ROW_NUMBER'];
const REVIEWED_FUNCTIONS: Record<DialectName, Set<string>> = {
  bigquery: new Set([...COMMON, 'DATE_DIFF', 'CURRENT_DATE', 'TO_JSON_STRING', 'TIMESTAMP', 'JSON_QUERY_ARRAY', 'JSON_VALUE', 'UNNEST', 'LAST_DAY']),
  snowflake: new Set([...COMMON, 'DATEDIFF', 'CURRENT_DATE', 'TO_VARCHAR', 'TO_TIMESTAMP', 'FLATTEN', 'GET', 'LAST_DAY']),
  postgres: new Set([...COMMON, 'JSONB_ARRAY_ELEMENTS', 'DATE_TRUNC']),
};
/** Words that stand before a parenthesis without being a function call. */
const KEYWORDS = new Set(['IN', 'OVER', 'FROM', 'JOIN', 'AND', 'OR', 'ON', 'WHERE', 'SELECT', 'AS', 'NOT', 'WHEN', 'THEN', 'ELSE', 'BY', 'ALL', 'EXISTS', 'TIMESTAMP_LITERAL']);

function functionsCalled(sql: string): string[] {
  const withoutStrings = sql.replace(/'[^']*'/g, "''");
  return [...withoutStrings.matchAll(/\b([A-Za-z_][A-Za-z0-9_]*)\s*\(/g)].map((m) => m[1]!.toUpperCase()).filter((f) => !KEYWORDS.has(f));
}

/** LookML SQL as plain SQL: ${TABLE} a table alias, ${x} and ${v.x} columns, templated filters literals. */
function plainSql(dialect: DialectName, lookmlSql: string): string {
  return lookmlSql
    .replace(/\{%\s*date_(start|end)\s+[a-z0-9_]+\s*%\}/g, TIMESTAMP_LITERAL[dialect])
    .replace(/\$\{TABLE\}/g, 'v')
    .replace(/\$\{([a-z0-9_]+)\.([a-z0-9_]+)\}/g, '(j_$1.$2)')
    .replace(/\$\{([a-z0-9_]+)\}/g, '(v.$1)');
}

/** Every SQL text of a model with where it comes from. */
function sqlTexts(dialect: DialectName, model: ParsedModel): { where: string; sql: string }[] {
  const texts: { where: string; sql: string }[] = [];
  for (const [name, view] of Object.entries(model.view ?? {})) {
    if (view.derived_table?.sql) texts.push({ where: `${name} derived table`, sql: view.derived_table.sql });
    for (const field of allFields(view)) if (field.sql) texts.push({ where: `${name}.${field.$name}`, sql: `SELECT ${plainSql(dialect, field.sql)} AS x FROM t AS v` });
  }
  for (const [name, explore] of Object.entries(model.explore ?? {})) {
    for (const [joinName, join] of Object.entries(explore.join ?? {})) {
      if (join.sql_on) texts.push({ where: `${name} join ${joinName}`, sql: `SELECT 1 AS x FROM t AS v JOIN u AS w ON ${plainSql(dialect, join.sql_on)}` });
    }
  }
  for (const [name, datagroup] of Object.entries(model.datagroup ?? {})) if (datagroup.sql_trigger) texts.push({ where: `datagroup ${name}`, sql: datagroup.sql_trigger });
  return texts;
}

describe('generated SQL, read by an independent SQL parser', () => {
  const parser = new sqlParser.Parser();

  const catalogs = {
    'the shipped streams': () => ({ catalog: discoverCatalog() }),
    'every stream (appended stock)': () => ({ catalog: everyStreamCatalog() }),
    // Rule lines from the JSON column, fiscal years from the calendar.
    "without issue 11's streams": () => ({ catalog: withoutStreams(everyStreamCatalog(), ISSUE_11_STREAMS) }),
  };
  for (const dialect of DIALECTS) for (const [catalogName, catalog] of Object.entries(catalogs)) {
    it(`${dialect}, ${catalogName}: every derived table, field, join and trigger parses with the ${GRAMMAR[dialect]} grammar and calls only reviewed functions`, async () => {
      const { model } = await parseProject(allProjectFiles(generateLookmlProject({ ...catalog(), dialect, connection: 'w', schema: 'sap_b1' })));
      const texts = sqlTexts(dialect, model);
      assert.ok(texts.length > 500, `${texts.length} SQL texts`);
      const problems: string[] = [];
      for (const { where, sql } of texts) {
        try {
          parser.astify(sql, { database: GRAMMAR[dialect] });
        } catch (error) {
          problems.push(`${where}: ${(error as Error).message.slice(0, 160)}\n${sql.slice(0, 400)}`);
        }
        for (const f of functionsCalled(sql)) if (!REVIEWED_FUNCTIONS[dialect].has(f)) problems.push(`${where}: calls ${f}, which is not on the reviewed list for ${dialect}`);
      }
      assert.deepEqual(problems, []);
    });
  }

  it('rejects broken SQL and flags unreviewed functions, so the checks above can fail', () => {
    assert.throws(() => parser.astify('SELECT a FROM (SELECT 1 AS a) AS x WHERE (x.a', { database: 'BigQuery' }));
    assert.throws(() => parser.astify('SELECT a, FROM t', { database: 'Snowflake' }));
    assert.deepEqual(functionsCalled("SELECT DATE_TRUNC('month', d), COALESCE(a, 'x(') FROM t WHERE b IN (1)"), ['DATE_TRUNC', 'COALESCE']);
  });
});
