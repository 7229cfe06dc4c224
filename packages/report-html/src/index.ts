export { renderReportHtml, type ReportPage } from './render.js';
export { barChart, type Bar } from './charts.js';
export { renderArrangementReportHtml, type ArrangementReport } from './arrangements.js';
