/**
 * Renders integration_tests/lookml/margin-by-region.svg for the README: gross margin by region
 * and by cost center of the simulator's demo company (default seed and scale), computed by the
 * same pipeline the PostgreSQL test runs (connector -> Airbyte-style Postgres tables ->
 * generated LookML's SQL). Needs the PostgreSQL server binaries.
 *
 *   npx tsx integration_tests/lookml/render-margin-chart.ts [output.svg]
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SIMULATOR_DEFAULTS } from '@sap-b1-airbyte/service-layer-simulator';
import { startLookmlPipeline } from './pipeline.js';
import { findPostgresBin, MISSING_POSTGRES_MESSAGE } from './postgres-cluster.js';
import { barChartSvg, type Bar } from './svg-bar-chart.js';

const STREAMS = ['invoices', 'invoice_lines', 'credit_notes', 'credit_note_lines', 'business_partners', 'cost_centers'];

const output = process.argv[2] ?? fileURLToPath(new URL('./margin-by-region.svg', import.meta.url));
const bin = findPostgresBin();
if (!bin) {
  process.stderr.write(`${MISSING_POSTGRES_MESSAGE}\n`);
  process.exit(1);
}

const pipeline = await startLookmlPipeline({ postgresBin: bin, streams: STREAMS });
try {
  await pipeline.sync();
  const bars = async (dimension: string, label: (value: unknown) => string): Promise<Bar[]> => {
    const rows = await pipeline.query('sales_margin', { dimensions: [dimension], measures: ['sales_margin_lines.gross_margin', 'sales_margin_lines.gross_margin_pct'] });
    return rows
      .map((r) => ({ label: label(r.d0), value: Number(r.m0), note: `${(Number(r.m1) * 100).toFixed(1)} %` }))
      .sort((a, b) => b.value - a.value);
  };
  const svg = barChartSvg(
    'Gross margin by region and cost center',
    [
      `Simulator demo company (seed ${SIMULATOR_DEFAULTS.seed}, scale ${SIMULATOR_DEFAULTS.scale}): invoices less credit notes, cancelled documents excluded.`,
      "Read by the connector, loaded as Airbyte's Postgres destination would, queried via the generated LookML.",
    ],
    [
      { title: 'By region (customer U_Region): gross margin in local currency, gross margin %', bars: await bars('sales_margin_lines.region', (v) => (v === null ? '(no region)' : String(v))) },
      { title: 'By cost center of dimension 2 (product line)', bars: await bars('cost_center_2.center_name', (v) => (v === null ? '(none)' : String(v))) },
    ],
  );
  writeFileSync(output, svg);
  process.stdout.write(`Wrote ${output}\n`);
} finally {
  await pipeline.stop();
}
