/**
 * A self-contained SVG of horizontal bar charts (one panel per breakdown), so the README can
 * show the demo numbers without any chart service: plain shapes and text, system fonts.
 */

export interface Bar {
  label: string;
  value: number;
  /** Shown after the value, e.g. the margin %. */
  note?: string;
}

export interface Panel {
  title: string;
  bars: Bar[];
}

const WIDTH = 760;
const LABEL_WIDTH = 200;
const VALUE_WIDTH = 170;
const BAR_HEIGHT = 26;
const BAR_GAP = 10;
const PANEL_GAP = 36;
const COLORS = ['#1f6feb', '#2da44e', '#bf8700', '#8250df', '#0a7f86', '#6e7781', '#953800'];

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function formatAmount(value: number): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: 0, maximumFractionDigits: 0 });
}

export function barChartSvg(title: string, subtitle: readonly string[], panels: readonly Panel[]): string {
  const parts: string[] = [];
  let y = 62 + subtitle.length * 16;
  for (const panel of panels) {
    parts.push(`<text x="20" y="${y}" class="panel">${escapeXml(panel.title)}</text>`);
    y += 16;
    const max = Math.max(...panel.bars.map((b) => Math.abs(b.value)), 1);
    const scale = (WIDTH - LABEL_WIDTH - VALUE_WIDTH - 40) / max;
    panel.bars.forEach((bar, i) => {
      const width = Math.max(1, Math.abs(bar.value) * scale);
      const barY = y + i * (BAR_HEIGHT + BAR_GAP);
      const color = bar.value < 0 ? '#cf222e' : COLORS[i % COLORS.length]!;
      parts.push(
        `<text x="${LABEL_WIDTH + 10}" y="${barY + BAR_HEIGHT / 2 + 5}" class="label" text-anchor="end">${escapeXml(bar.label)}</text>`,
        `<rect x="${LABEL_WIDTH + 20}" y="${barY}" width="${width.toFixed(1)}" height="${BAR_HEIGHT}" rx="3" fill="${color}"/>`,
        `<text x="${(LABEL_WIDTH + 28 + width).toFixed(1)}" y="${barY + BAR_HEIGHT / 2 + 5}" class="value">${escapeXml(formatAmount(bar.value))}${bar.note ? ` <tspan class="note">${escapeXml(bar.note)}</tspan>` : ''}</text>`,
      );
    });
    y += panel.bars.length * (BAR_HEIGHT + BAR_GAP) + PANEL_GAP;
  }
  const height = y - PANEL_GAP + 30;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${escapeXml(title)}">`,
    '<style>text{font-family:-apple-system,BlinkMacSystemFont,"Segoe UI",Helvetica,Arial,sans-serif;fill:#24292f}.title{font-size:18px;font-weight:600}.subtitle{font-size:12px;fill:#57606a}.panel{font-size:14px;font-weight:600}.label{font-size:13px}.value{font-size:12px}.note{fill:#57606a}</style>',
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="20" y="30" class="title">${escapeXml(title)}</text>`,
    ...subtitle.map((line, i) => `<text x="20" y="${52 + i * 16}" class="subtitle">${escapeXml(line)}</text>`),
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}
