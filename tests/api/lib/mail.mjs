// Real mail servers for the email tests: starts the `meridian_mail_servers` helper (Dovecot +
// OpenSMTPD on 127.0.0.1, tests/unit/channels/email/mail_servers_main.cc) and talks to it over
// its stdin/stdout. `available` is false (with `why`) when the helper or root is missing.
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const HELPER = process.env.MERIDIAN_MAIL_SERVERS ||
  new URL('../../../build/dev/tests/unit/channels/email/meridian_mail_servers', import.meta.url).pathname;

export class MailServers {
  // `idle: false` starts Dovecot without IDLE in its capabilities; `smtp: false` skips OpenSMTPD
  // (then `available` needs IMAP only).
  async start(dir, { idle = true, smtp = true } = {}) {
    this.dir = dir;
    this.seq = 0;
    if (!existsSync(HELPER)) { this.why = `no ${HELPER}`; return this; }
    const args = [...(idle ? [] : ['--no-idle']), ...(smtp ? [] : ['--imap-only'])];
    this.proc = spawn(HELPER, args, { stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = createInterface({ input: this.proc.stdout });
    this.waiting = [];
    lines.on('line', (l) => { const w = this.waiting.shift(); if (w) w(l); });
    const hello = JSON.parse(await this.next());
    Object.assign(this, hello);
    this.available = hello.imap && (hello.smtp || !smtp);
    if (!this.available) this.why = hello.error;
    return this;
  }

  next() { return new Promise((resolve) => this.waiting.push(resolve)); }

  async command(line) {
    const answer = this.next();
    this.proc.stdin.write(line + '\n');
    return answer;
  }

  // Puts a raw mail into the test user's INBOX (what a delivery from outside looks like).
  async deliver(raw) {
    const path = join(this.dir, `mail-${++this.seq}.eml`);
    writeFileSync(path, raw);
    const r = await this.command(`append ${path}`);
    if (r !== 'ok') throw new Error('append failed: ' + r);
  }

  // Every mail in USER's mailbox (default INBOX): [{uid, raw}].
  async mailbox(user, box = 'INBOX') { return JSON.parse(await this.command(`dump ${user} ${box}`)); }

  async stop() {
    if (!this.proc) return;
    const exited = new Promise((r) => this.proc.on('exit', r));
    this.proc.stdin.end();
    await exited;
  }
}

// A header's value from raw RFC 5322 text (unfolded), or undefined.
export function header(raw, name) {
  const head = raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
  const m = head.match(new RegExp(`^${name}:[ \\t]*(.*)$`, 'im'));
  return m ? m[1].trim() : undefined;
}
