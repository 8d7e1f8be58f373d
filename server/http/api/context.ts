import crypto from 'node:crypto';
import type { Services } from '../../services';
import { OrgPeople } from '../../services/membership/org-people';
import { WebSessions } from '../../services/accounts/web-sessions';
import { DownloadTickets } from './download-tickets';

/** What the API's routes are built over. */
export interface ApiOptions {
  services: Services;
  /** The bot's token: Mini App initData is signed with a key derived from it. None: the exchange is off. */
  botToken?: string;
  /** initData older than this (by its auth_date) is refused. */
  miniAppMaxAgeMs: number;
  /** Signs download tickets; shared by every process behind one address (default: a key of this process). */
  ticketKey?: Buffer;
}

/** The options and the few reads the API adds over the services. */
export interface ApiContext extends ApiOptions {
  sessions: WebSessions;
  orgPeople: OrgPeople;
  tickets: DownloadTickets;
}

export function apiContext(opts: ApiOptions): ApiContext {
  const tickets = new DownloadTickets(opts.ticketKey ?? crypto.randomBytes(32), opts.services.deps.now);
  return { ...opts, sessions: new WebSessions(opts.services.deps), tickets, orgPeople: new OrgPeople(opts.services.deps, opts.services.fees.reports) };
}
