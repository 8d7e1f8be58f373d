/** What the web chat API answers. */
export interface WebChatAnswer {
  replies: Array<{ text: string; choices?: Array<Array<{ label: string; value: string }>>; file?: { name: string } }>;
  progress: string[];
  hideInput: boolean;
}

/** A browser of the local web chat: keeps the cookies the server sets, as a browser does. */
export class WebChatClient {
  readonly cookies = new Map<string, string>();

  constructor(private readonly base: string) {}

  private remember(res: Response): Response {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      this.cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
    return res;
  }

  private get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('cookie', this.cookieHeader);
    return this.remember(await fetch(this.base + path, { ...init, headers }));
  }

  async page(): Promise<string> {
    return (await this.request('/chat')).text();
  }

  async send(body: unknown): Promise<WebChatAnswer> {
    const res = await this.request('/chat/api/message', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`web chat answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as WebChatAnswer;
  }

  say(text: string): Promise<WebChatAnswer> {
    return this.send({ text });
  }

  press(choice: string): Promise<WebChatAnswer> {
    return this.send({ choice });
  }

  async inbox(): Promise<WebChatAnswer['replies']> {
    return ((await (await this.request('/chat/api/inbox')).json()) as { replies: WebChatAnswer['replies'] }).replies;
  }
}
