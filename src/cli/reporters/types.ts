/** The batch's report types live with the batch (src/batch/report.ts), which the reporters here implement. */
export * from '../../batch/report.js';
