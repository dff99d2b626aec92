/** ECharts with only the parts the lab draws (graph, line, bar, custom, scatter, lines, with mark lines and points), for both canvas and SVG output. */
import { BarChart, CustomChart, GraphChart, LineChart, LinesChart, ScatterChart } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  MarkPointComponent,
  TitleComponent,
  TooltipComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers';

echarts.use([
  GraphChart,
  LineChart,
  BarChart,
  CustomChart,
  ScatterChart,
  LinesChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  MarkLineComponent,
  MarkPointComponent,
  TitleComponent,
  CanvasRenderer,
  SVGRenderer,
]);

export { echarts };
