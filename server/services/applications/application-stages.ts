/**
 * The stage machine of applications (R8, R9, R9a): which stage follows which, which are
 * final, and their names. Pure: no database.
 */
import type { ApplicationKind, ApplicationStage } from '../../../models/Application';

export type { ApplicationKind, ApplicationStage } from '../../../models/Application';

/** The forward path of each kind; `rejected` may follow any stage that is not final. */
const FORWARD: Record<ApplicationKind, ApplicationStage[]> = {
  self_registration: ['submitted', 'approved'],
  join: ['submitted', 'accepted', 'activist', 'candidate', 'admitted'],
  flow_checkin: ['submitted', 'confirmed'],
};

/** Stages after which nothing more can be decided. */
export const FINAL_STAGES: ApplicationStage[] = ['approved', 'admitted', 'confirmed', 'rejected'];

/** Names of the kinds, as applicants and admins know them. */
export const APPLICATION_KIND_LABELS: Record<ApplicationKind, string> = {
  self_registration: '团员团干部注册',
  join: '入团申请',
  flow_checkin: '流动团员报到',
};

/** Names of the stages. */
export const STAGE_LABELS: Record<ApplicationStage, string> = {
  submitted: '已提交（待审核）',
  accepted: '已受理（已递交入团申请书）',
  activist: '入团积极分子',
  candidate: '发展对象',
  admitted: '已入团',
  approved: '已通过',
  confirmed: '已确认报到',
  rejected: '未通过',
};

/** What the admin's button says for a move to a stage. */
export const MOVE_LABELS: Record<ApplicationStage, string> = {
  submitted: '退回待审核',
  accepted: '受理（已递交入团申请书）',
  activist: '列为入团积极分子',
  candidate: '列为发展对象',
  admitted: '批准入团',
  approved: '通过',
  confirmed: '确认报到',
  rejected: '驳回',
};

/** The reason given to the applicant when the admin gives none. */
export const DEFAULT_REJECT_REASONS: Record<ApplicationKind, string> = {
  self_registration: '团支部未能核实您的团员身份，请与该团支部联系',
  join: '经团支部研究，暂不符合发展条件，请与该团支部联系',
  flow_checkin: '团支部未能核实您的报到信息，请与该团支部联系',
};

export function isFinal(stage: ApplicationStage): boolean {
  return FINAL_STAGES.includes(stage);
}

/** The stage that follows `stage` on the forward path, or null at the end. */
export function nextStage(kind: ApplicationKind, stage: ApplicationStage): ApplicationStage | null {
  const path = FORWARD[kind];
  const i = path.indexOf(stage);
  return i >= 0 && i < path.length - 1 ? path[i + 1] : null;
}

/** True when an application of `kind` may go from `from` to `to`. */
export function canMove(kind: ApplicationKind, from: ApplicationStage, to: ApplicationStage): boolean {
  if (isFinal(from)) return false;
  return to === 'rejected' || nextStage(kind, from) === to;
}

/** The stages of a kind in order, for showing progress. */
export function forwardPath(kind: ApplicationKind): ApplicationStage[] {
  return [...FORWARD[kind]];
}

export function isKind(value: string): value is ApplicationKind {
  return value in FORWARD;
}

export function isStage(value: string): value is ApplicationStage {
  return value in STAGE_LABELS;
}
