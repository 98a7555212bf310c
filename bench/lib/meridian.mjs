// Shared helpers for the spine benchmarks (bench/list, bench/live, bench/ws-memory): run the
// real binary on a free loopback port with a temporary data directory, create what a benchmark
// needs through the CLI, and summarise latencies. Node 20, no dependencies.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createHmac } from 'node:crypto';
import http from 'node:http';

export const REPO = resolve(new URL('../..', import.meta.url).pathname);

// The binary from argv (relative paths are taken from the repository root, as in bench/load).
export function binaryArg(arg) {
  return resolve(REPO, arg || 'build/release/meridian');
}

const live = new Set();
const dirs = new Set();
process.on('exit', () => {
  for (const p of live) { try { p.kill('SIGKILL'); } catch {} }
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));

export function tempDir(prefix) {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.add(d);
  return d;
}

export function cli(bin, args, { data, input = '' } = {}) {
  return execFileSync(bin, [...args, '--data', data], { input, encoding: 'utf8', maxBuffer: 1 << 26 });
}

// An API inbox ({id, secret}) and an agent's bearer token, created before the server starts.
export function setupInboxAndAgent(bin, data) {
  const inbox = JSON.parse(cli(bin, ['inbox', 'create', 'api', '--name', 'Bench', '--json'], { data }));
  cli(bin, ['agent', 'create', '--email', 'bench@meridian.local', '--name', 'Bench Agent'],
      { data, input: 'bench-password-123\n' });
  const { token } = JSON.parse(cli(bin, ['token', 'create', '--email', 'bench@meridian.local'], { data }));
  return { inbox, token };
}

// `nofile` lowers the server's fd limit (the shell execs the binary, so the pid stays the same).
export async function startServer(bin, data, extra = [], { nofile } = {}) {
  const args = ['serve', '--data', data, '--port', '0', ...extra];
  const proc = nofile
    ? spawn('/bin/sh', ['-c', `ulimit -n ${Number(nofile)} && exec "$0" "$@"`, bin, ...args],
            { stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(proc);
  let out = '';
  let err = '';
  proc.stderr.on('data', (d) => { err = (err + d).slice(-20000); });
  const exited = new Promise((r) => proc.on('exit', (code, signal) => { live.delete(proc); r({ code, signal }); }));
  const base = await new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error('server did not start: ' + err)), 30000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[\d.]+:\d+)/);
      if (m) { clearTimeout(timer); res(m[1]); }
    });
    proc.on('exit', () => rej(new Error('server exited: ' + err)));
  });
  return {
    proc, base, wsBase: base.replace('http://', 'ws://'), exited,
    stderr: () => err,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 10000);
      const r = await exited;
      clearTimeout(timer);
      return r;
    },
  };
}

// Resident set size of a process in bytes, from /proc/<pid>/status (VmRSS is in kB).
export function rssBytes(pid) {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
  return Number(m[1]) * 1024;
}

// CPU time a process has used (user + system), in clock ticks (1/100 s on Linux).
export function cpuTicks(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(f[11]) + Number(f[12]);  // fields 14 and 15 of stat(5)
}

export function loadavg() {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join('/');
}

export function sign(secret, body) {
  return 'sha256=' + createHmac('sha256', secret).update(body).digest('hex');
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

// A keep-alive HTTP request; resolves {status, body}, rejects after timeoutMs.
export function request(base, method, path, { token, body, headers = {}, timeoutMs = 30000 } = {}) {
  const url = new URL(path, base);
  const h = { ...headers };
  if (token) h.authorization = `Bearer ${token}`;
  if (body !== undefined) h['content-length'] = Buffer.byteLength(body);
  return new Promise((res, rej) => {
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname + url.search,
                               method, headers: h, agent }, (r) => {
      const chunks = [];
      r.on('data', (c) => chunks.push(c));
      r.on('end', () => res({ status: r.statusCode, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', rej);
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`${method} ${path}: no answer in ${timeoutMs} ms`)));
    if (body !== undefined) req.write(body);
    req.end();
  });
}

export function postInbound(base, inbox, payload) {
  const body = JSON.stringify(payload);
  return request(base, 'POST', `/api/v1/inboxes/${inbox.id}/inbound`, {
    body, headers: { 'content-type': 'application/json', 'x-meridian-signature': sign(inbox.secret, body) },
  });
}

// Nearest-rank percentile of an unsorted array of numbers.
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

export function median(values) { return percentile(values, 50); }

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Prints the usage on -h/--help; returns [binary, runs] from argv. With `websocket`, insists on
// Node's global WebSocket client (node --experimental-websocket, as run.sh starts it).
export function parseArgs(text, { websocket = false } = {}) {
  if (process.argv.includes('-h') || process.argv.includes('--help')) {
    console.log(text);
    process.exit(0);
  }
  if (websocket && typeof WebSocket === 'undefined') {
    console.error('no global WebSocket: run with node --experimental-websocket (see run.sh)');
    process.exit(2);
  }
  return [binaryArg(process.argv[2]), Number(process.argv[3] || 3)];
}
