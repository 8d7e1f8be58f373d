/**
 * The entry-progress chart: for each organisation directly below the admin's, the share of its
 * subtree's organisations that completed entry (R17), as a PNG people read at a glance in chat.
 * Drawn by ECharts' server-side SVG renderer and rasterised by resvg with Noto Sans SC, so the
 * Chinese labels render on a server with no CJK font.
 */
import { renderAsync } from '@resvg/resvg-js';
import * as echarts from 'echarts';
import { formatChinaTime } from '../../../lib/china-datetime';
import { CJK_FONT_FAMILY, cjkFontDir } from '../../../lib/cjk-font';
import type { ProgressView } from './view';

/** Width of the picture, in pixels: sharp on a phone held upright, readable on a desktop. */
export const CHART_WIDTH = 1000;
/** Bars drawn at most; beyond, the least complete ones are shown and the rest counted in a note. */
export const CHART_MAX_BARS = 30;
const BAR_ROW = 36;
const TOP = 120;
const BOTTOM = 50;
const LABEL_CHARS = 14;
const FONT_SIZE = 15;

/** A label short enough for the axis; long names share their beginning, so the end is kept. */
function axisLabel(name: string): string {
  const chars = Array.from(name);
  return chars.length <= LABEL_CHARS ? name : `…${chars.slice(-(LABEL_CHARS - 1)).join('')}`;
}

const percent = (done: number, total: number) => (total ? Math.round((done / total) * 1000) / 10 : 0);

/** The chart's ECharts option and size for a view (the children, least complete on top). */
export function progressChartOption(view: ProgressView): { option: echarts.EChartsOption; height: number } {
  const ordered = [...view.children].sort((a, b) => a.complete / a.total - b.complete / b.total || a.id - b.id);
  const shown = ordered.slice(0, CHART_MAX_BARS);
  const height = TOP + shown.length * BAR_ROW + BOTTOM;
  const more = ordered.length > shown.length ? `；下级组织共 ${ordered.length} 个，只显示完成率最低的 ${shown.length} 个` : '';
  const labelWidth = Math.max(...shown.map((c) => Array.from(axisLabel(c.shortName || c.fullName)).length)) * FONT_SIZE + 16;
  const option: echarts.EChartsOption = {
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily: CJK_FONT_FAMILY, fontSize: FONT_SIZE },
    title: {
      text: `${view.org.shortName || view.org.fullName} 下级组织录入进度`,
      subtext: `全部 ${view.total} 个组织中已完成 ${view.complete} 个（${percent(view.complete, view.total)}%）${more}\n统计时间 ${formatChinaTime(view.at)}（北京时间），每条为该组织及其下级组织的完成比例`,
      left: 20,
      top: 14,
      textStyle: { fontFamily: CJK_FONT_FAMILY, fontSize: 22, color: '#222222' },
      subtextStyle: { fontFamily: CJK_FONT_FAMILY, fontSize: 14, color: '#555555', lineHeight: 22 },
    },
    legend: { top: 88, right: 30, data: ['已完成', '未完成'], textStyle: { fontFamily: CJK_FONT_FAMILY, fontSize: 14 } },
    grid: { left: labelWidth + 20, right: 150, top: TOP, bottom: BOTTOM },
    xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%', fontFamily: CJK_FONT_FAMILY }, splitLine: { lineStyle: { color: '#eeeeee' } } },
    yAxis: {
      type: 'category',
      inverse: true,
      data: shown.map((c) => axisLabel(c.shortName || c.fullName)),
      axisLabel: { fontFamily: CJK_FONT_FAMILY, fontSize: FONT_SIZE, color: '#333333' },
      axisTick: { show: false },
    },
    series: [
      { name: '已完成', type: 'bar', stack: 'all', barWidth: 22, itemStyle: { color: '#3ba272' }, data: shown.map((c) => percent(c.complete, c.total)) },
      {
        name: '未完成',
        type: 'bar',
        stack: 'all',
        itemStyle: { color: '#f2c1b8' },
        data: shown.map((c) => ({
          value: Math.round((100 - percent(c.complete, c.total)) * 10) / 10,
          label: {
            show: true,
            position: 'right',
            formatter: `${percent(c.complete, c.total)}%（${c.complete}/${c.total}）`,
            fontFamily: CJK_FONT_FAMILY,
            fontSize: 14,
            color: '#333333',
          },
        })),
      },
    ],
  };
  return { option, height };
}

/** The chart as a PNG, {@link CHART_WIDTH} wide, taller with more children. */
export async function progressChartPng(view: ProgressView): Promise<Buffer> {
  const { option, height } = progressChartOption(view);
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: CHART_WIDTH, height });
  let svg: string;
  try {
    chart.setOption(option);
    svg = chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
  const fonts = await cjkFontDir(400);
  // Off the main thread: a tall chart takes resvg some tens of milliseconds.
  const png = await renderAsync(svg, {
    font: { loadSystemFonts: false, fontDirs: [fonts], defaultFontFamily: CJK_FONT_FAMILY, sansSerifFamily: CJK_FONT_FAMILY },
    background: '#ffffff',
  });
  return png.asPng();
}
