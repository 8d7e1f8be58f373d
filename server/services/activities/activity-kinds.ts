import type { ActivityKind } from '../../../models/Activity';

/** The kinds of R18, as people call them, in the order a picker offers them. */
export const ACTIVITY_KIND_LABELS: Record<ActivityKind, string> = {
  league_day: '团日活动',
  lesson: '团课',
  branch_congress: '支部团员大会',
  committee_meeting: '支部委员会',
  group_meeting: '团小组会',
  other_meeting: '其他会议',
};

export const isActivityKind = (v: string): v is ActivityKind => v in ACTIVITY_KIND_LABELS;
