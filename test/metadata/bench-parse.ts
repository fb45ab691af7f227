/**
 * Measures parseEdmx on the four real `$metadata` documents: the first parse in a fresh process
 * (what `discover` and `read` pay, once per command) and the median of warm parses, plus the
 * heap the resulting model keeps. Run with `npx tsx test/metadata/bench-parse.ts`
 * (add `--expose-gc` through NODE_OPTIONS for the retained-heap column). Not a test: timings
 * depend on the machine.
 */
import { parseEdmx, type EdmModel } from '../../src/metadata/edmx.js';
import { REFERENCE_DOCUMENTS, referenceXml } from './reference-documents.js';

const WARM_RUNS = 7;
const gc = (globalThis as { gc?: () => void }).gc;

function retainedMegabytes(build: () => EdmModel): string {
  if (gc === undefined) return 'n/a';
  gc();
  const before = process.memoryUsage().heapUsed;
  const model = build();
  gc();
  const after = process.memoryUsage().heapUsed;
  if (model.entitySets.size === 0) throw new Error('empty model');
  return ((after - before) / 1024 / 1024).toFixed(1);
}

const rows: string[][] = [['document', 'size MB', 'entity sets', 'first parse ms', `median of ${WARM_RUNS} ms`, 'model heap MB']];
for (const document of REFERENCE_DOCUMENTS) {
  const xml = referenceXml(document);
  const start = performance.now();
  const model = parseEdmx(xml);
  const first = performance.now() - start;
  const warm: number[] = [];
  for (let run = 0; run < WARM_RUNS; run += 1) {
    const runStart = performance.now();
    parseEdmx(xml);
    warm.push(performance.now() - runStart);
  }
  warm.sort((a, b) => a - b);
  rows.push([
    document.label,
    (Buffer.byteLength(xml) / 1024 / 1024).toFixed(2),
    String(model.entitySets.size),
    first.toFixed(0),
    (warm[Math.floor(WARM_RUNS / 2)] as number).toFixed(0),
    retainedMegabytes(() => parseEdmx(xml)),
  ]);
}

const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] as string).length)));
for (const row of rows) console.log(row.map((cell, column) => cell.padStart(widths[column] as number)).join('  '));
console.log(`node ${process.version}, ${process.platform}/${process.arch}`);
