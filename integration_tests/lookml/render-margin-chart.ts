/**
 * Renders integration_tests/lookml/lookml-demo.svg for the README: from the simulator's demo
 * company (default seed and scale), gross margin by region and by cost center of both dimensions
 * (split rules allocated), open receivables by aging bucket, and stock value by warehouse and age,
 * computed by the same pipeline the PostgreSQL test runs (connector -> Airbyte-style Postgres
 * tables -> generated LookML's SQL). The connection syncs every stream, deliveries and returns
 * included, so that the margin carries the cost of goods deliveries posted. Needs the PostgreSQL
 * server binaries.
 *
 *   npx tsx integration_tests/lookml/render-margin-chart.ts [output.svg]
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SIMULATOR_DEFAULTS } from '@sap-b1-airbyte/service-layer-simulator';
import type { ExploreQuery } from './lookml-query.js';
import { startLookmlPipeline } from './pipeline.js';
import { findPostgresBin, MISSING_POSTGRES_MESSAGE } from './postgres-cluster.js';
import { barChartSvg, type Bar } from './svg-bar-chart.js';

const output = process.argv[2] ?? fileURLToPath(new URL('./lookml-demo.svg', import.meta.url));
const bin = findPostgresBin();
if (!bin) {
  process.stderr.write(`${MISSING_POSTGRES_MESSAGE}\n`);
  process.exit(1);
}

const pipeline = await startLookmlPipeline({ postgresBin: bin });
try {
  await pipeline.sync();
  const lastPosting = [...pipeline.simulator.groundTruth('Invoices')].map((d) => String(d.DocDate)).sort().at(-1)!;
  type Row = Record<string, unknown>;
  const first = (fallback: string) => (r: Row) => (r.d0 === null ? fallback : String(r.d0));
  const second = (r: Row) => String(r.d1);
  const bars = async (explore: string, question: ExploreQuery, label: (row: Row) => string, note?: (row: Row) => string, order: 'value' | 'query' = 'value'): Promise<Bar[]> => {
    const rows = await pipeline.withEveryStream.query(explore, question);
    const result = rows.map((r) => ({ label: label(r), value: Number(r.m0), ...(note ? { note: note(r) } : {}) }));
    return order === 'value' ? result.sort((a, b) => b.value - a.value) : result;
  };
  const pct = (r: Row) => `${(Number(r.m1) * 100).toFixed(1)} %`;
  const margin = { measures: ['sales_margin_lines.gross_margin', 'sales_margin_lines.gross_margin_pct'] };
  const svg = barChartSvg(
    'SAP Business One demo company in Looker: margin, receivables, inventory',
    [
      `Simulator demo company (seed ${SIMULATOR_DEFAULTS.seed}, scale ${SIMULATOR_DEFAULTS.scale}), read by the connector (every stream),`,
      `loaded as Airbyte's Postgres destination would, queried through the generated LookML. Amounts in USD; cancelled documents`,
      `excluded; split distribution rules allocated to their cost centers; aging and stock as of ${lastPosting}.`,
    ],
    [
      {
        title: 'Gross margin by region (customer U_Region): net revenue less posted cost of goods, gross margin %',
        bars: await bars('sales_margin', { dimensions: ['sales_margin_lines.region'], ...margin }, first('(no region)'), pct),
      },
      {
        title: 'Gross margin by cost center of dimension 1 (region; the shared rule ALLREG allocated)',
        bars: await bars('sales_margin', { dimensions: ['cost_center_1.center_name'], ...margin }, first('(none)'), pct),
      },
      {
        title: 'Gross margin by cost center of dimension 2 (product line)',
        bars: await bars('sales_margin', { dimensions: ['cost_center_2.center_name'], ...margin }, first('(none)'), pct),
      },
      {
        title: `Open receivables by aging bucket as of ${lastPosting}`,
        bars: await bars(
          'receivables_aging',
          { dimensions: ['receivable_movements.aging_bucket_order', 'receivable_movements.aging_bucket'], measures: ['receivable_movements.open_amount'], dateFilters: { as_of_date: lastPosting } },
          second,
          undefined,
          'query',
        ),
      },
      {
        title: 'Stock value by warehouse and age of its FIFO layer (days since it came in)',
        bars: await bars(
          'inventory_aging',
          { dimensions: ['warehouse.warehouse_name', 'inventory_age_layers.age_bucket_order', 'inventory_age_layers.age_bucket'], measures: ['inventory_age_layers.on_hand_value'] },
          (r) => `${String(r.d0).replace(/ Distribution Center$/, ' DC')}, ${String(r.d2)}`,
          undefined,
          'query',
        ),
      },
    ],
  );
  writeFileSync(output, svg);
  process.stdout.write(`Wrote ${output}\n`);
} finally {
  await pipeline.stop();
}
