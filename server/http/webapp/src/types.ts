/**
 * What the API sends, as the server's response schemas say (server/http/api/<domain>/schema.ts).
 * Types only: nothing of the server is bundled, and a change there that a page does not follow
 * fails vue-tsc here.
 */
export type { ActivityView, ErrorBody, OrgKind, OrgRef, SigninState } from '../../api/schema';
export type { LoginResult, PasswordResult } from '../../api/accounts/schema';
export type { Me, MonthLine, MyActivities, MyActivity, MyFees, ResponseResult, SigninResult, YearStatement } from '../../api/membership/schema';
export type { ExportTicket, OrgPersonRow, OrgSearch, OwingRow, PeoplePage, PersonRow, TreeChild, TreeView } from '../../api/organisations/schema';
export type {
  AddResult,
  ManagedActivities,
  ManagedActivity,
  Participant,
  Participants,
  Pickable,
  PickableOrg,
  PickerSearch,
  PickerView,
  RemoveResult,
} from '../../api/activities/schema';
export type { Application, ApplicationList } from '../../api/applications/schema';
