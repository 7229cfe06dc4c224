export { renderReportHtml, type ReportPage } from './render.js';
export { barChart, type Bar } from './charts.js';
