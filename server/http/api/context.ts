import type { Services } from '../../services';
import { OrgPeople } from '../../services/org-people';
import { WebSessions } from '../../services/web-sessions';

/** What the API's routes are built over. */
export interface ApiOptions {
  services: Services;
  /** The bot's token: Mini App initData is signed with a key derived from it. None: the exchange is off. */
  botToken?: string;
  /** initData older than this (by its auth_date) is refused. */
  miniAppMaxAgeMs: number;
}

/** The options and the few reads the API adds over the services. */
export interface ApiContext extends ApiOptions {
  sessions: WebSessions;
  orgPeople: OrgPeople;
}

export function apiContext(opts: ApiOptions): ApiContext {
  return { ...opts, sessions: new WebSessions(opts.services.deps), orgPeople: new OrgPeople(opts.services.deps) };
}
