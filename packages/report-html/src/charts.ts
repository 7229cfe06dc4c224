import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';

/**
 * Static SVG charts, rendered in Node with Observable Plot on a linkedom document: the report is
 * a finished file, no browser and no script are needed to see the charts.
 */
type PlotDocument = NonNullable<Plot.PlotOptions['document']>;

function newDocument(): PlotDocument {
  return parseHTML('<!doctype html><html><head></head><body></body></html>').document as unknown as PlotDocument;
}

export interface Bar {
  label: string;
  value: number;
  group?: string;
}

/** Horizontal bars, one per label, in the given order. */
export function barChart(bars: readonly Bar[], options: { xLabel: string; color?: string; width?: number }): string {
  if (bars.length === 0) return '';
  const document = newDocument();
  const labelWidth = Math.min(260, 8 + 7 * Math.max(...bars.map((b) => b.label.length)));
  const svg = Plot.plot({
    document,
    width: options.width ?? 760,
    height: 40 + 22 * bars.length,
    marginLeft: labelWidth,
    marginRight: 70,
    x: { label: options.xLabel, grid: true },
    y: { label: null, domain: bars.map((b) => b.label) },
    marks: [
      Plot.barX(bars, { x: 'value', y: 'label', fill: options.color ?? '#1f6f8b' }),
      Plot.text(bars, { x: 'value', y: 'label', text: (d: Bar) => d.value.toLocaleString('nl-NL'), textAnchor: 'start', dx: 4 }),
      Plot.ruleX([0]),
    ],
  });
  const element = svg as unknown as { setAttribute(name: string, value: string): void; outerHTML: string };
  element.setAttribute('role', 'img');
  element.setAttribute('aria-label', options.xLabel);
  return element.outerHTML;
}
