import crypto from 'node:crypto';
import type { Services } from '../../services';
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

/** The options and what the API adds over the services (its sessions and limits are the services'). */
export interface ApiContext extends ApiOptions {
  tickets: DownloadTickets;
}

export function apiContext(opts: ApiOptions): ApiContext {
  const tickets = new DownloadTickets(opts.ticketKey ?? crypto.randomBytes(32), opts.services.deps.now);
  return { ...opts, tickets };
}
