// Conversation list page latency: GET /api/v1/conversations, first page and deep cursor pages,
// for every status (open, all) x assignee (me, none, any) filter, with a bulk-loaded store.
// Loads once, then per run restarts the server, warms it up and runs wrk with one connection
// per query kind (latency without queueing), then all kinds together on 16 connections.
const USAGE = `usage: node bench/list/run.mjs [BINARY] [RUNS] [CONVERSATIONS] [MESSAGES]
  defaults: build/release/meridian 3 100000 10 (demo load --conversations/--messages);
  every 50th conversation is assigned to the benchmark's agent so that assignee=me has pages.
  env LIST_DURATION (wrk seconds per kind, default 5)`;
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, cli, tempDir, startServer, request, cpuTicks, loadavg, parseArgs } from '../lib/meridian.mjs';

const [bin, runs] = parseArgs(USAGE);
const conversations = Number(process.argv[4] || 100000);
const messages = Number(process.argv[5] || 10);
const duration = Number(process.env.LIST_DURATION || 5);
const STATUSES = ['open', 'all'];
const ASSIGNEES = ['me', 'none', 'any'];
const MAX_DEEP = 100;

const work = tempDir('meridian-bench-list-');
const data = join(work, 'data');
let t0 = Date.now();
cli(bin, ['demo', 'load', '--conversations', String(conversations), '--messages', String(messages)], { data });
const loadSeconds = (Date.now() - t0) / 1000;
const { token } = JSON.parse(cli(bin, ['token', 'create', '--email', 'demo@meridian.local'], { data }));

async function getJson(base, path) {
  const r = await request(base, 'GET', path, { token });
  if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${r.body.slice(0, 200)}`);
  return JSON.parse(r.body);
}

// Walks a whole filtered list with limit=200; returns the cursors after each page and the ids.
async function walk(base, query) {
  const cursors = [];
  const ids = [];
  let cursor = null;
  do {
    const page = await getJson(base, `/api/v1/conversations?${query}&limit=200` +
                                     (cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''));
    for (const c of page.items) ids.push(c.id);
    cursor = page.next_cursor;
    if (cursor) cursors.push({ cursor, depth: ids.length });
  } while (cursor);
  return { cursors, total: ids.length, ids };
}

// Setup on a first server: assign every 50th conversation to the agent, then collect cursors.
let server = await startServer(bin, data);
t0 = Date.now();
const all = await walk(server.base, 'status=all&assignee=any');
const toAssign = all.ids.filter((_, i) => i % 50 === 0);
for (let i = 0; i < toAssign.length; i += 8) {
  await Promise.all(toAssign.slice(i, i + 8).map(async (id) => {
    const r = await request(server.base, 'POST', `/api/v1/conversations/${id}/assign`,
                            { token, body: '{}', headers: { 'content-type': 'application/json' } });
    if (r.status !== 200) throw new Error(`assign ${id}: ${r.status} ${r.body}`);
  }));
}
const kinds = [];
const allUrls = [];
for (const status of STATUSES) {
  for (const assignee of ASSIGNEES) {
    const query = `status=${status}&assignee=${assignee}`;
    const w = await walk(server.base, query);
    const first = `/api/v1/conversations?${query}`;
    // Deep pages: cursors past the first tenth of the list, evenly spread, at most MAX_DEEP.
    const deep = w.cursors.filter((c) => c.depth >= w.total / 10);
    const step = Math.max(1, Math.floor(deep.length / MAX_DEEP));
    const deepUrls = deep.filter((_, i) => i % step === 0).slice(0, MAX_DEEP)
      .map((c) => `${first}&cursor=${encodeURIComponent(c.cursor)}`);
    for (const [page, urls] of [['first', [first]], ['deep', deepUrls]]) {
      if (urls.length === 0) continue;
      const file = join(work, `${status}-${assignee}-${page}.txt`);
      writeFileSync(file, urls.join('\n') + '\n');
      kinds.push({ name: `${status}/${assignee}/${page}`, file, urls: urls.length, matching: w.total,
                   depths: page === 'deep' ? `${deep[0].depth}-${deep[deep.length - 1].depth}` : '0' });
      allUrls.push(...urls);
    }
  }
}
const mixedFile = join(work, 'mixed.txt');
writeFileSync(mixedFile, allUrls.join('\n') + '\n');
await server.stop();
console.log(`# store: ${conversations} conversations x ${messages} messages (demo load ${loadSeconds.toFixed(1)} s), ` +
            `${toAssign.length} assigned to the agent; setup ${((Date.now() - t0) / 1000).toFixed(1)} s`);
for (const k of kinds) {
  console.log(`# kind=${k.name} matching=${k.matching} urls=${k.urls} depths=${k.depths}`);
}

function wrk(base, file, conns, seconds) {
  const out = execFileSync('wrk', [`-t1`, `-c${conns}`, `-d${seconds}s`, '-s', join(REPO, 'bench/list/urls.lua'), base],
                           { env: { ...process.env, LIST_URLS: file, LIST_TOKEN: token }, encoding: 'utf8' });
  const line = out.split('\n').find((l) => l.startsWith('requests='));
  if (!line) throw new Error('wrk printed no summary: ' + out);
  return line;
}

for (let run = 1; run <= runs; run++) {
  server = await startServer(bin, data);
  // Sanity: every kind answers 200 with the expected page size, then a warm-up pass.
  for (const k of kinds) {
    const first = readFileSync(k.file, 'utf8').split('\n')[0];
    const page = await getJson(server.base, first);
    k.items = page.items.length;
  }
  wrk(server.base, mixedFile, 4, 3);
  // Server CPU per request (user + system, all threads) is the figure least affected by other
  // processes on the machine: latency under contention includes waiting for a core.
  const measure = (file, conns) => {
    const ticks = cpuTicks(server.proc.pid);
    const line = wrk(server.base, file, conns, duration);
    const requests = Number(line.match(/requests=(\d+)/)[1]);
    return `${line} server_cpu_ms_per_req=${((cpuTicks(server.proc.pid) - ticks) * 10 / requests).toFixed(2)}`;
  };
  for (const k of kinds) {
    console.log(`run=${run} kind=${k.name} conns=1 items=${k.items} ${measure(k.file, 1)} load=${loadavg()}`);
  }
  console.log(`run=${run} kind=mixed conns=16 ${measure(mixedFile, 16)} load=${loadavg()}`);
  const r = await server.stop();
  if (r.code !== 0) console.log(`# server exit code=${r.code} signal=${r.signal}: ${server.stderr().slice(-2000)}`);
}
