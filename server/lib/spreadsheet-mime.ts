/** The MIME type of an .xlsx file, as files sent to chat carry it. */
export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
