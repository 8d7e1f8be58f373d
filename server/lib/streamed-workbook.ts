import { PassThrough } from 'node:stream';
import * as ExcelJS from 'exceljs';

/**
 * A workbook written row by row (exceljs' streaming writer, shared strings on: Chinese names
 * repeat), collected into a Buffer by `done()` once every sheet is committed.
 * @example const { wb, done } = streamedWorkbook(); …; ws.commit(); const file = await done();
 */
export function streamedWorkbook(): { wb: ExcelJS.stream.xlsx.WorkbookWriter; done(): Promise<Buffer> } {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => out.on('end', resolve).on('error', reject));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: true });
  wb.creator = '智慧团建';
  return {
    wb,
    async done() {
      await wb.commit();
      await ended;
      return Buffer.concat(chunks);
    },
  };
}
