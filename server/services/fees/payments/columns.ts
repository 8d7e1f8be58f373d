/** The columns of a fee payment spreadsheet (团费交纳表) and how their headers are recognised. */
import { halfWidth } from '../money';

export type PaymentColumnKey = 'name' | 'idNumber' | 'months' | 'amount' | 'note';

export interface PaymentColumn {
  key: PaymentColumnKey;
  header: string;
  aliases: string[];
  required: boolean;
  example: string;
  explanation: string;
}

export const PAYMENT_COLUMNS: PaymentColumn[] = [
  { key: 'name', header: '姓名', aliases: ['团员姓名'], required: true, example: '陈思远', explanation: '团员的姓名，须是您管理的组织及其下级组织的团员' },
  {
    key: 'idNumber',
    header: '身份证号码',
    aliases: ['身份证号', '公民身份号码', '证件号码'],
    required: false,
    example: '',
    explanation: '有同名团员时必填，用来区分是哪一位；填写时须与姓名一致',
  },
  {
    key: 'months',
    header: '交费月份',
    aliases: ['月份', '所属月份', '交纳月份', '缴费月份'],
    required: true,
    example: '2026-01至2026-06',
    explanation: '交的是哪几个月：如“2026-01至2026-06”“2026-03”；同一行的月份须在同一年内',
  },
  {
    key: 'amount',
    header: '金额（元）',
    aliases: ['金额', '交费金额', '缴费金额', '团费', '金额元'],
    required: true,
    example: '1.2',
    explanation: '实交金额，单位元，最多两位小数；不能少于这几个月应交的团费，可以自愿多交',
  },
  { key: 'note', header: '备注', aliases: [], required: false, example: '', explanation: '选填，最多 200 个字' },
];

/** A header as compared: half-width, no spaces, brackets or `*`. */
export const normaliseHeader = (text: string): string =>
  halfWidth(text)
    .replace(/[\s*()（）:：]/g, '')
    .toLowerCase();

const LOOKUP = new Map<string, PaymentColumnKey>();
for (const c of PAYMENT_COLUMNS) for (const h of [c.header, ...c.aliases]) LOOKUP.set(normaliseHeader(h), c.key);

/** The column a header names, if any. */
export const matchPaymentHeader = (text: string): PaymentColumnKey | undefined => LOOKUP.get(normaliseHeader(text));

export const paymentColumn = (key: PaymentColumnKey): PaymentColumn => PAYMENT_COLUMNS.find((c) => c.key === key)!;
