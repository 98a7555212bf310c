// The widget's outbox: messages the visitor wrote that the server has not acknowledged yet.
// Each keeps its client_message_id for life, so re-sending after a reconnect (or a page
// reload: the outbox is saved in localStorage) can never store a message twice.

export interface OutgoingMessage {
  client_message_id: string;
  text: string;
  created_at: string;
  /** Set when the server refused the message for good (e.g. too long): shown, never re-sent. */
  failed?: boolean;
}

export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

interface CryptoLike {
  randomUUID?: () => string;
  getRandomValues?: (array: Uint8Array<ArrayBuffer>) => unknown;
}

/** A v4 UUID: crypto.randomUUID where there is one (secure contexts), else built by hand. */
export function newClientMessageId(
  cryptoObject: CryptoLike | undefined = globalThis.crypto,
  random: () => number = Math.random,
): string {
  if (cryptoObject?.randomUUID) {
    try {
      return cryptoObject.randomUUID();
    } catch {
      /* not a secure context: fall through */
    }
  }
  const bytes = new Uint8Array(new ArrayBuffer(16));
  if (cryptoObject?.getRandomValues) cryptoObject.getRandomValues(bytes);
  else for (let i = 0; i < 16; i++) bytes[i] = Math.floor(random() * 256);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export class Outbox {
  private items: OutgoingMessage[] = [];

  constructor(
    private readonly storage: StorageLike | null,
    private readonly key: string,
  ) {
    try {
      const saved = storage?.getItem(key);
      const parsed: unknown = saved ? JSON.parse(saved) : [];
      if (Array.isArray(parsed)) {
        this.items = parsed.filter(
          (m): m is OutgoingMessage =>
            !!m && typeof m.client_message_id === 'string' && typeof m.text === 'string' && typeof m.created_at === 'string',
        );
      }
    } catch {
      this.items = [];
    }
  }

  /** Queues a new message and returns it; it stays until ack() with its id. */
  add(text: string, id: string = newClientMessageId(), now: Date = new Date()): OutgoingMessage {
    const message = { client_message_id: id, text, created_at: now.toISOString() };
    this.items.push(message);
    this.save();
    return message;
  }

  /** Removes an acknowledged message; returns whether it was waiting. */
  ack(clientMessageId: string): boolean {
    const before = this.items.length;
    this.items = this.items.filter((m) => m.client_message_id !== clientMessageId);
    if (this.items.length === before) return false;
    this.save();
    return true;
  }

  /** Marks a message the server refused for good; it stays visible but is not re-sent. */
  fail(clientMessageId: string): boolean {
    const message = this.items.find((m) => m.client_message_id === clientMessageId);
    if (!message || message.failed) return false;
    message.failed = true;
    this.save();
    return true;
  }

  /** Messages still unacknowledged, oldest first: what to (re)send when the socket opens. */
  pending(): OutgoingMessage[] {
    return this.items.filter((m) => !m.failed);
  }

  /** Everything not yet stored, failed ones included: what the UI shows after the history. */
  all(): OutgoingMessage[] {
    return this.items.slice();
  }

  has(clientMessageId: string): boolean {
    return this.items.some((m) => m.client_message_id === clientMessageId);
  }

  private save(): void {
    try {
      if (this.items.length === 0) this.storage?.removeItem(this.key);
      else this.storage?.setItem(this.key, JSON.stringify(this.items));
    } catch {
      /* storage full or blocked: the queue still works for this page */
    }
  }
}
