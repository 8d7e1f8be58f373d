import type { z } from 'zod';
import { UserError } from '../../errors';

/** Readable names of the fields the API takes, for messages. */
const FIELD_LABELS: Record<string, string> = {
  idNumber: '身份证号码',
  password: '密码',
  currentPassword: '当前密码',
  newPassword: '新密码',
  initData: 'initData',
  code: '签到码',
  token: '签到链接',
  register: '报名',
  personIds: '人员',
  orgId: '组织',
  from: '当前阶段',
  to: '目标阶段',
  reason: '理由',
  page: '页码',
  root: '组织',
  org: '组织',
  filter: '筛选条件',
  scope: '范围',
  q: '搜索内容',
  id: '编号',
  personId: '人员',
};

/**
 * Parses request input with a zod schema; what does not fit is a 400 in the API's one error
 * shape, with a Chinese message naming the fields (zod's own messages are English).
 */
export function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const fields = [...new Set(result.error.issues.map((i) => String(i.path[0] ?? '')).filter(Boolean))];
  const named = fields.map((f) => FIELD_LABELS[f] ?? f).join('、');
  throw UserError.invalid('BAD_REQUEST', named ? `请求参数不正确：${named}` : '请求参数不正确');
}
