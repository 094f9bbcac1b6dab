import { useId } from 'react';
import { formatMonthLong, formatMonthShort, formatNumber } from './format';

/**
 * Monthly counts as an inline SVG bar chart (one or more series side by side), with the same
 * numbers in a visually hidden table for screen readers. No chart library, no inline styles.
 */
export type ChartSeries = { name: string; tone: 'primary' | 'secondary'; values: readonly number[] };

const WIDTH = 960;
const HEIGHT = 240;
const MARGIN = { top: 12, right: 8, bottom: 28, left: 44 };

/** A round axis maximum at or above `max` (1, 2, 5 × 10ⁿ), and its tick step. */
export function niceScale(max: number): { top: number; step: number } {
  if (max <= 0) return { top: 4, step: 1 };
  const raw = max / 4;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  const rounded = Math.max(1, Math.round(step));
  return { top: Math.ceil(max / rounded) * rounded, step: rounded };
}

export function BarChart({
  title,
  months,
  series,
}: {
  title: string;
  months: readonly string[];
  series: readonly ChartSeries[];
}) {
  const id = useId();
  const max = Math.max(0, ...series.flatMap((s) => s.values));
  const { top, step } = niceScale(max);
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const slot = plotW / Math.max(1, months.length);
  const barW = Math.max(2, (slot * 0.7) / Math.max(1, series.length));
  const y = (v: number) => MARGIN.top + plotH - (v / top) * plotH;
  const ticks: number[] = [];
  for (let v = 0; v <= top; v += step) ticks.push(v);
  const total = series
    .map((s) => `${s.name}: ${formatNumber(s.values.reduce((a, b) => a + b, 0))}`)
    .join(', ');

  return (
    <figure className="chart">
      <figcaption id={`${id}-title`} className="chart-title">
        {title}
      </figcaption>
      {series.length > 1 ? (
        <ul className="chart-legend" aria-hidden="true">
          {series.map((s) => (
            <li key={s.name}>
              <svg
                className={`legend-swatch tone-${s.tone}`}
                viewBox="0 0 10 10"
                focusable="false"
                aria-hidden="true"
              >
                <rect width="10" height="10" rx="2" />
              </svg>
              {s.name}
            </li>
          ))}
        </ul>
      ) : null}
      <svg
        className="chart-svg"
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        focusable="false"
      >
        <title>{title}</title>
        <desc
          id={`${id}-desc`}
        >{`Totals over ${months.length} months: ${total}. The table below lists each month.`}</desc>
        {ticks.map((v) => (
          <g key={v} className="chart-grid">
            <line x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={y(v)} y2={y(v)} />
            <text x={MARGIN.left - 6} y={y(v)} dy="0.32em" textAnchor="end">
              {formatNumber(v)}
            </text>
          </g>
        ))}
        {months.map((month, i) => {
          const x0 = MARGIN.left + i * slot + (slot - barW * series.length) / 2;
          return (
            <g key={month}>
              {series.map((s, j) => {
                const v = s.values[i] ?? 0;
                return (
                  <rect
                    key={s.name}
                    className={`chart-bar tone-${s.tone}`}
                    x={x0 + j * barW}
                    y={y(v)}
                    width={barW - 1}
                    height={Math.max(0, MARGIN.top + plotH - y(v))}
                    rx="2"
                  >
                    <title>{`${s.name}, ${formatMonthLong(month)}: ${formatNumber(v)}`}</title>
                  </rect>
                );
              })}
              <text
                className="chart-axis"
                x={MARGIN.left + i * slot + slot / 2}
                y={HEIGHT - 8}
                textAnchor="middle"
              >
                {formatMonthShort(month)}
              </text>
            </g>
          );
        })}
      </svg>
      <div className="sr-only">
        <table>
          <caption>{title}</caption>
          <thead>
            <tr>
              <th scope="col">Month</th>
              {series.map((s) => (
                <th scope="col" key={s.name}>
                  {s.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {months.map((month, i) => (
              <tr key={month}>
                <th scope="row">{formatMonthLong(month)}</th>
                {series.map((s) => (
                  <td key={s.name}>{formatNumber(s.values[i] ?? 0)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
