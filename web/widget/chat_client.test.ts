// The widget's delivery guarantees: a message is shown pending until acked, re-sent with the
// same client_message_id after a reconnect, and never lost across a reload.
import { describe, expect, it } from 'vitest';
import { FakeSocket, ManualTimers, MemoryStorage } from '../src/lib/test_doubles';
import { ChatClient, type ChatClientOptions, type ChatSnapshot, type UploadRequest, type WidgetMessage } from './chat_client';

function message(id: number, text: string, direction: 'in' | 'out', cmid: string | null = null): WidgetMessage {
  return {
    id,
    direction,
    sender_kind: direction === 'in' ? 'customer' : 'agent',
    sender: null,
    text,
    status: direction === 'in' ? 'received' : 'sent',
    client_message_id: cmid,
    created_at: new Date(Date.UTC(2026, 0, 1, 12, id)).toISOString(),
  };
}

function setup(storage = new MemoryStorage(), history: WidgetMessage[] = [], extra: Partial<ChatClientOptions> = {}) {
  const timers = new ManualTimers();
  const sockets: FakeSocket[] = [];
  const requests: { url: string; body?: unknown }[] = [];
  const snapshots: ChatSnapshot[] = [];
  let incoming = 0;
  let typing = 0;
  const fakeFetch = (async (url: string, init?: RequestInit) => {
    requests.push({ url, body: init?.body ? JSON.parse(String(init.body)) : undefined });
    if (url.endsWith('/session')) {
      const sent = init?.body ? JSON.parse(String(init.body)) : {};
      return new Response(
        JSON.stringify({ token: sent.token ?? 'tok-1', visitor: { id: 1, name: 'V' }, conversation_id: null, uploads: { max_bytes: 1000 } }),
      );
    }
    return new Response(JSON.stringify({ items: history }));
  }) as unknown as typeof fetch;
  const client = new ChatClient({
    origin: 'http://shop.test:8080',
    inboxId: '3',
    storage,
    fetch: fakeFetch,
    createSocket: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    setTimer: timers.set,
    clearTimer: timers.clear,
    onChange: (s) => snapshots.push(s),
    onIncoming: () => incoming++,
    onAgentTyping: () => typing++,
    ...extra,
  });
  const last = () => snapshots[snapshots.length - 1];
  return { client, timers, sockets, requests, last, storage, counts: () => ({ incoming, typing }) };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('ChatClient', () => {
  it('creates a session, keeps its token per inbox, loads history and connects', async () => {
    const t = setup(new MemoryStorage(), [message(1, 'Hallo', 'in'), message(2, 'Hi!', 'out')]);
    expect(t.client.hasSession).toBe(false);
    t.client.start();
    await flush();
    await flush();
    expect(t.requests[0].url).toBe('http://shop.test:8080/api/v1/widget/3/session');
    expect(t.storage.getItem('meridian.widget.3.token')).toBe('tok-1');
    expect(t.requests[1].url).toBe('http://shop.test:8080/api/v1/widget/messages?token=tok-1');
    expect(t.sockets[0].url).toBe('ws://shop.test:8080/api/v1/widget/ws?token=tok-1');
    expect(t.last().messages.map((m) => m.text)).toEqual(['Hallo', 'Hi!']);
  });

  it('resumes with the stored token', async () => {
    const storage = new MemoryStorage();
    storage.setItem('meridian.widget.3.token', 'tok-old');
    const t = setup(storage);
    expect(t.client.hasSession).toBe(true);
    t.client.start();
    await flush();
    expect(t.requests[0].body).toEqual({ token: 'tok-old' });
  });

  it('shows a message pending until acked, then as stored', async () => {
    const t = setup();
    t.client.start();
    await flush();
    await flush();
    t.sockets[0].open();
    t.client.send('  Wo ist meine Bestellung?  ');
    const frame = t.sockets[0].sent.find((f) => f.type === 'message')!;
    expect(frame.text).toBe('Wo ist meine Bestellung?');
    expect(t.last().pending).toHaveLength(1);
    t.sockets[0].push({ type: 'ack', client_message_id: frame.client_message_id, message: message(5, 'Wo ist meine Bestellung?', 'in', frame.client_message_id as string) });
    expect(t.last().pending).toHaveLength(0);
    expect(t.last().messages.map((m) => m.id)).toEqual([5]);
  });

  it('re-sends unacknowledged messages after a reconnect with the same client_message_id', async () => {
    const t = setup();
    t.client.start();
    await flush();
    await flush();
    t.sockets[0].open();
    t.client.send('first');
    const firstId = t.sockets[0].sent.find((f) => f.type === 'message')!.client_message_id;
    t.sockets[0].drop(); // the ack never came
    t.client.send('second (offline)');
    expect(t.last().pending.map((p) => p.text)).toEqual(['first', 'second (offline)']);
    t.timers.advance(60_000);
    expect(t.sockets).toHaveLength(2);
    t.sockets[1].open();
    const resent = t.sockets[1].sent.filter((f) => f.type === 'message');
    expect(resent.map((f) => f.text)).toEqual(['first', 'second (offline)']);
    expect(resent[0].client_message_id).toBe(firstId);
    // The server had stored "first" already and acks it again: still one message.
    t.sockets[1].push({ type: 'ack', client_message_id: firstId, message: message(7, 'first', 'in', firstId as string) });
    t.sockets[1].push({ type: 'ack', client_message_id: firstId, message: message(7, 'first', 'in', firstId as string) });
    expect(t.last().messages.map((m) => m.id)).toEqual([7]);
    expect(t.last().pending.map((p) => p.text)).toEqual(['second (offline)']);
  });

  it('keeps unsent messages across a reload and drops those history shows as stored', async () => {
    const storage = new MemoryStorage();
    const a = setup(storage);
    a.client.start();
    await flush();
    await flush();
    a.client.send('typed while connecting'); // socket never opened
    const cmid = a.last().pending[0].client_message_id;
    a.client.stop();

    const b = setup(storage, [message(9, 'typed while connecting', 'in', cmid)]);
    expect(b.client.snapshot().pending).toHaveLength(1);
    b.client.start();
    await flush();
    await flush();
    expect(b.last().pending).toHaveLength(0); // history proved it was stored
    expect(b.last().messages.map((m) => m.id)).toEqual([9]);
  });

  it('reports agent replies and typing, and throttles its own typing', async () => {
    const t = setup();
    t.client.start();
    await flush();
    await flush();
    t.sockets[0].open();
    t.sockets[0].push({ type: 'typing', sender_kind: 'agent' });
    t.sockets[0].push({ type: 'message', message: message(3, 'Ihre Bestellung ist unterwegs.', 'out') });
    t.sockets[0].push({ type: 'message', message: message(3, 'Ihre Bestellung ist unterwegs.', 'out') });
    expect(t.counts()).toEqual({ incoming: 1, typing: 1 });
    t.client.typing(10_000);
    t.client.typing(11_000);
    t.client.typing(14_000);
    expect(t.sockets[0].sent.filter((f) => f.type === 'typing')).toHaveLength(2);
  });

  it('retries the session with backoff while the server is down', async () => {
    const t = setup();
    let calls = 0;
    const failing = new ChatClient({
      origin: 'http://x',
      inboxId: '1',
      storage: null,
      fetch: (async () => {
        calls++;
        throw new TypeError('network down');
      }) as unknown as typeof fetch,
      setTimer: t.timers.set,
      clearTimer: t.timers.clear,
      onChange: () => undefined,
    });
    failing.start();
    await flush();
    expect(calls).toBe(1);
    t.timers.advance(60_000);
    await flush();
    expect(calls).toBe(2);
    failing.stop();
  });
});

describe('ChatClient refusals', () => {
  async function connected() {
    const t = setup();
    t.client.start();
    await flush();
    await flush();
    t.sockets[0].open();
    return t;
  }

  it('re-sends after a rate limit, with the same client_message_id', async () => {
    const t = await connected();
    t.client.send('eins');
    const id = t.sockets[0].sent.find((f) => f.type === 'message')!.client_message_id;
    t.sockets[0].push({ type: 'error', client_message_id: id, status: 429, error: { code: 'rate_limited', message: 'slow down' } });
    expect(t.last().pending).toHaveLength(1);
    t.timers.advance(2000);
    const sends = t.sockets[0].sent.filter((f) => f.type === 'message');
    expect(sends).toHaveLength(2);
    expect(sends[1].client_message_id).toBe(id);
  });

  it('shows a message refused for good as failed and never re-sends it', async () => {
    const t = await connected();
    t.client.send('x'.repeat(10));
    const id = t.sockets[0].sent.find((f) => f.type === 'message')!.client_message_id;
    t.sockets[0].push({ type: 'error', client_message_id: id, status: 422, error: { code: 'invalid', message: 'text too long' } });
    expect(t.last().pending[0].failed).toBe(true);
    t.sockets[0].drop();
    t.timers.advance(60_000);
    t.sockets[1].open();
    expect(t.sockets[1].sent.filter((f) => f.type === 'message')).toHaveLength(0);
  });
});

/** An XMLHttpRequest stand-in that records the upload and answers when told. */
class FakeUpload implements UploadRequest {
  method = '';
  url = '';
  headers: Record<string, string> = {};
  body: Blob | null = null;
  status = 0;
  responseText = '';
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  upload: UploadRequest['upload'] = { onprogress: null };
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(body: Blob) {
    this.body = body;
  }
  abort() {}
  answer(status: number, body: unknown) {
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.onload?.();
  }
}

describe('ChatClient files', () => {
  async function withUploads() {
    const requests: FakeUpload[] = [];
    const t = setup(new MemoryStorage(), [], {
      createUploadRequest: () => {
        const r = new FakeUpload();
        requests.push(r);
        return r;
      },
    });
    t.client.start();
    await flush();
    await flush();
    return { ...t, requests };
  }

  it('uploads with the token, shows progress, then the stored message', async () => {
    const t = await withUploads();
    const file = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], 'Foto März.png', { type: 'image/png' });
    t.client.sendFile(file, ' so kam es an ', 'up-1');
    await flush();
    expect(t.requests).toHaveLength(1);
    const r = t.requests[0];
    expect(r.url).toBe('http://shop.test:8080/api/v1/widget/uploads');
    expect(r.headers.Authorization).toBe('Bearer tok-1');
    expect(r.headers['X-Filename']).toBe('Foto%20M%C3%A4rz.png');
    expect(r.headers['X-Caption']).toBe('so%20kam%20es%20an');
    expect(r.headers['X-Client-Message-Id']).toBe('up-1');
    expect(t.last().uploads).toEqual([expect.objectContaining({ client_message_id: 'up-1', progress: 0 })]);
    r.upload.onprogress?.({ loaded: 2, total: 4, lengthComputable: true });
    expect(t.last().uploads[0].progress).toBe(0.5);
    const stored = { ...message(7, 'so kam es an', 'in', 'up-1'), attachments: [{ id: 3, name: 'Foto März.png', content_type: 'image/png', size: 4, url: '/api/v1/widget/attachments/3?sig' }] };
    r.answer(201, stored);
    expect(t.last().uploads).toEqual([]);
    expect(t.last().messages.map((m) => m.id)).toEqual([7]);
    expect(t.last().messages[0].attachments?.[0].url).toContain('/api/v1/widget/attachments/3');
  });

  it('refuses a type or size the server would refuse without sending, and says why', async () => {
    const t = await withUploads();
    t.client.sendFile(new File(['<html>'], 'page.html', { type: 'text/html' }), '', 'up-2');
    t.client.sendFile(new File([new Uint8Array(2000)], 'big.png', { type: 'image/png' }), '', 'up-3');
    await flush();
    expect(t.requests).toHaveLength(0);
    expect(t.last().uploads.map((u) => u.error)).toEqual(['unsupported_type', 'too_large']);
    t.client.dismissUpload('up-2');
    expect(t.last().uploads.map((u) => u.client_message_id)).toEqual(['up-3']);
  });

  it('shows the server refusing a file', async () => {
    const t = await withUploads();
    t.client.sendFile(new File(['<html>'], 'cute.png', { type: 'image/png' }), '', 'up-4');
    await flush();
    t.requests[0].answer(415, { error: { code: 'unsupported_media_type', message: 'no' } });
    expect(t.last().uploads[0].error).toBe('unsupported_type');
    t.client.sendFile(new File(['x'], 'a.png', { type: 'image/png' }), '', 'up-5');
    await flush();
    t.requests[1].onerror?.();
    expect(t.last().uploads[1].error).toBe('failed');
  });
});
