import crypto from 'node:crypto';

/** The query parameter a ticket travels in. */
export const TICKET_PARAM = 'ticket';
const TICKET_MS = 5 * 60_000;

/** `/p?a=1&ticket=…` → `/p?a=1`: the address a ticket is bound to. */
export function withoutTicket(path: string, querystring: string): string {
  const q = new URLSearchParams(querystring);
  q.delete(TICKET_PARAM);
  const rest = q.toString();
  return rest ? `${path}?${rest}` : path;
}

/**
 * Download tickets: Telegram's Mini App downloads a file itself (web_app_request_file_download),
 * without the page's cookie. A ticket lets one GET of one address, for five minutes, stand on
 * the session that asked for it (still checked as live when used), signed with a server key.
 */
export class DownloadTickets {
  constructor(
    private readonly key: Buffer,
    private readonly now: () => Date,
  ) {}

  private sign(body: string): string {
    return crypto.createHmac('sha256', this.key).update(body).digest('base64url');
  }

  /** A ticket for `address` (path and query, as withoutTicket gives it) on the session of `tokenHash`. */
  issue(tokenHash: string, address: string): string {
    const body = Buffer.from(JSON.stringify({ h: tokenHash, a: address, e: this.now().getTime() + TICKET_MS })).toString('base64url');
    return `${body}.${this.sign(body)}`;
  }

  /** The session's token hash when the ticket is ours, unexpired and for this address; else null. */
  check(ticket: string, address: string): string | null {
    const [body, mac] = ticket.split('.');
    if (!body || !mac) return null;
    const expected = Buffer.from(this.sign(body));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given)) return null;
    try {
      const { h, a, e } = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { h: string; a: string; e: number };
      return a === address && e > this.now().getTime() && typeof h === 'string' ? h : null;
    } catch {
      return null;
    }
  }
}
