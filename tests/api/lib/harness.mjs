// Starts the real `meridian` binary on a free port with a fresh data directory, and small
// helpers for the black-box API tests. Every server started is killed when the process exits.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHmac } from 'node:crypto';
import http from 'node:http';

export const BIN = process.env.MERIDIAN_BIN || new URL('../../../build/dev/meridian', import.meta.url).pathname;
const live = new Set();
process.on('exit', () => { for (const p of live) { try { p.kill('SIGKILL'); } catch {} } });

export function tempDir(prefix = 'meridian-api-') {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function cli(args, { input = '', data } = {}) {
  const full = data ? [...args, '--data', data] : args;
  return execFileSync(BIN, full, { input, encoding: 'utf8' });
}

export class Server {
  constructor(data, extra = []) { this.data = data; this.extra = extra; }

  async start() {
    this.proc = spawn(BIN, ['serve', '--data', this.data, '--port', '0', ...this.extra],
                      { stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(this.proc);
    this.stdout = '';
    this.stderr = '';
    this.proc.stderr.on('data', (d) => { this.stderr += d; });
    this.exited = new Promise((resolve) => this.proc.on('exit', (code, signal) => {
      live.delete(this.proc);
      resolve({ code, signal });
    }));
    this.base = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('server did not start: ' + this.stderr)), 15000);
      this.proc.stdout.on('data', (d) => {
        this.stdout += d;
        const m = this.stdout.match(/listening on (http:\/\/[\d.]+:\d+)/);
        if (m) { clearTimeout(timer); resolve(m[1]); }
      });
      this.proc.on('exit', () => reject(new Error('server exited: ' + this.stderr)));
    });
    this.wsBase = this.base.replace('http://', 'ws://');
    return this;
  }

  async stop(signal = 'SIGTERM') {
    if (!this.proc || this.proc.exitCode !== null) return this.exited;
    this.proc.kill(signal);
    return this.exited;
  }

  async request(method, path, { body, token, headers = {}, raw } = {}) {
    const h = { ...headers };
    if (token) h.authorization = `Bearer ${token}`;
    let payload = raw;
    if (body !== undefined) { payload = JSON.stringify(body); h['content-type'] = 'application/json'; }
    const res = await fetch(this.base + path, { method, headers: h, body: payload });
    const text = await res.text();
    let json = null;
    try { json = JSON.parse(text); } catch {}
    return { status: res.status, json, text, headers: res.headers };
  }

  async login(email = 'demo@meridian.local', password = 'meridian-demo') {
    const r = await this.request('POST', '/api/v1/auth/login', { body: { email, password } });
    if (r.status !== 200) throw new Error('login failed: ' + r.text);
    return r.json.token;
  }
}

export function sign(secret, body) {
  return 'sha256=' + createHmac('sha256', secret).update(body).digest('hex');
}

export async function postInbound(server, inbox, secret, payload, { signature, rawBody } = {}) {
  const body = rawBody ?? JSON.stringify(payload);
  const headers = { 'content-type': 'application/json' };
  const sig = signature === undefined ? sign(secret, body) : signature;
  if (sig !== null) headers['x-meridian-signature'] = sig;
  return server.request('POST', `/api/v1/inboxes/${inbox}/inbound`, { raw: body, headers });
}

// A local HTTP endpoint that records requests and answers from a script: each entry a status
// number or { status, headers, body } (body may be a function of the recorded request); the
// last entry repeats.
// `scripted(entry)` picks the requests that take the scripted answers; the others get a 404
// (e.g. a media download in the background must not use up an outbox test's 429).
export async function stubServer(statuses, { scripted = () => true } = {}) {
  const received = [];
  let script = statuses;
  let i = 0;
  const srv = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => { chunks.push(c); });
    req.on('end', () => {
      const bytes = Buffer.concat(chunks);  // exact: multipart uploads carry binary files
      const entry = { method: req.method, url: req.url, headers: req.headers, body: bytes.toString('utf8'), raw: bytes,
                      at: Date.now() };
      received.push(entry);
      const raw = scripted(entry) ? script[Math.min(i++, script.length - 1)]
                                  : { status: 404, body: { error: { message: 'not scripted' } } };
      const step = typeof raw === 'number' ? { status: raw } : raw;
      const body = typeof step.body === 'function' ? step.body(entry) : (step.body ?? {});
      res.writeHead(step.status, { 'content-type': 'application/json', ...(step.headers || {}) });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    });
  });
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${srv.address().port}`;
  return { url: `${base}/callback`, base, received,
           setScript: (s) => { script = s; i = 0; },
           close: () => new Promise((r) => srv.close(r)) };
}

// The default patience is generous: enrichment (language, translation) runs at SCHED_IDLE and
// CTest runs two tests at once, so background work may wait for a core. A met condition returns
// at once.
export async function until(fn, { timeout = 30000, interval = 50 } = {}) {
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, interval));
  }
  throw new Error('condition not met in time');
}

// A WebSocket that queues frames so a test can await the next one of a type.
export async function openSocket(url, headers) {
  const ws = new WebSocket(url, headers ? { headers } : undefined);
  const frames = [];
  const waiters = [];
  ws.addEventListener('message', (e) => {
    const f = JSON.parse(e.data);
    frames.push(f);
    for (const w of [...waiters]) if (w.match(f)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(f); }
  });
  await new Promise((resolve, reject) => {
    ws.addEventListener('open', resolve, { once: true });
    ws.addEventListener('error', reject, { once: true });
  });
  return {
    ws, frames,
    send: (obj) => ws.send(JSON.stringify(obj)),
    next(match, timeout = 5000) {
      const found = frames.find(match);
      if (found) { frames.splice(frames.indexOf(found), 1); return Promise.resolve(found); }
      return new Promise((resolve, reject) => {
        const w = { match, resolve: (f) => { clearTimeout(t); frames.splice(frames.indexOf(f), 1); resolve(f); } };
        const t = setTimeout(() => reject(new Error('no matching frame')), timeout);
        waiters.push(w);
      });
    },
    close: () => ws.close(),
  };
}

export function cleanup(dir) { rmSync(dir, { recursive: true, force: true }); }
