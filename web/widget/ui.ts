// The widget's DOM: a launcher bubble and a chat panel inside an open shadow root. Plain DOM
// code (no framework) so widget.js stays small; text is always set with textContent.

import { UPLOAD_TYPES, type ChatSnapshot, type PendingUpload, type WidgetAttachment } from './chat_client';
import type { Strings } from './strings';
import { WIDGET_CSS } from './styles';

const CHAT_ICON =
  '<svg viewBox="0 0 24 24" fill="currentColor" aria-hidden="true"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z"/></svg>';
const CLIP_ICON =
  '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M21 11.5l-8.5 8.5a5 5 0 0 1-7-7L14 4.5a3.3 3.3 0 0 1 4.7 4.7l-8.6 8.6a1.7 1.7 0 0 1-2.4-2.4L15.5 7.6"/></svg>';
const CHEVRON_ICON =
  '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2.5" stroke-linecap="round" aria-hidden="true"><path d="M6 9l6 6 6-6"/></svg>';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

export interface WidgetViewHandlers {
  onOpen: () => void;
  onClose: () => void;
  onSend: (text: string) => void;
  onTyping: () => void;
  /** A file to send (attach button, paste or drop), with what is in the input as its caption. */
  onFile: (file: File, caption: string) => void;
  onDismissUpload: (clientMessageId: string) => void;
}

/** "1.2 MB": sizes for visitors. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${Math.round(n / 1024)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

/** The text a file-only message carries ("[image]"), which the file itself replaces on screen. */
function isFilePlaceholder(text: string, files: WidgetAttachment[] | undefined): boolean {
  return !!files && files.length > 0 && (text === '[image]' || text === '[document]');
}

export class WidgetView {
  readonly host: HTMLElement;
  private readonly launcher: HTMLButtonElement;
  private readonly dot: HTMLElement;
  private readonly icon: HTMLElement;
  private readonly panel: HTMLElement;
  private readonly subtitle: HTMLElement;
  private readonly log: HTMLElement;
  private readonly typingLine: HTMLElement;
  private readonly input: HTMLTextAreaElement;
  private readonly fileInput: HTMLInputElement;
  /** The largest file accepted (from the session), for the "too large" message. */
  uploadLimit = 0;
  private unread = 0;
  private typingTimer: ReturnType<typeof setTimeout> | null = null;
  private last: ChatSnapshot | null = null;

  constructor(
    private readonly strings: Strings,
    private readonly locale: string,
    private readonly handlers: WidgetViewHandlers,
    /** Where the server is: files' URLs are relative to it. */
    private readonly origin: string = '',
  ) {
    this.host = el('div', { id: 'meridian-chat-widget' });
    const shadow = this.host.attachShadow({ mode: 'open' });
    const style = el('style');
    style.textContent = WIDGET_CSS;
    const root = el('div', { class: 'root', lang: locale });

    this.launcher = el('button', {
      class: 'launcher',
      type: 'button',
      'aria-label': strings.open,
      'aria-expanded': 'false',
      'aria-controls': 'meridian-panel',
      'data-testid': 'widget-launcher',
    });
    this.icon = el('span', { class: 'icon' });
    this.icon.innerHTML = CHAT_ICON; // constant markup, no user text
    this.launcher.append(this.icon);
    this.dot = el('span', { class: 'dot', hidden: '', 'data-testid': 'widget-unread' });
    this.launcher.append(this.dot);
    this.launcher.addEventListener('click', () => (this.isOpen ? this.close() : this.open()));

    this.panel = el('div', {
      class: 'panel',
      id: 'meridian-panel',
      role: 'dialog',
      'aria-label': strings.title,
      hidden: '',
      'data-testid': 'widget-panel',
    });
    const head = el('div', { class: 'head' });
    const titles = el('div', { class: 'titles' });
    titles.append(el('h2', {}, strings.title));
    this.subtitle = el('p', { 'data-testid': 'widget-status' }, strings.subtitleConnecting);
    titles.append(this.subtitle);
    const close = el('button', { class: 'close', type: 'button', 'aria-label': strings.close, 'data-testid': 'widget-close' }, '×');
    close.addEventListener('click', () => this.close());
    head.append(titles, close);

    this.log = el('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-label': strings.title, 'data-testid': 'widget-messages' });
    this.typingLine = el('div', { class: 'typing', 'aria-live': 'polite' });

    const form = el('form', { class: 'composer' });
    const label = el('label', { class: 'sr-only', for: 'meridian-input' }, strings.inputLabel);
    this.input = el('textarea', {
      id: 'meridian-input',
      rows: '1',
      placeholder: strings.placeholder,
      'aria-label': strings.inputLabel,
      'data-testid': 'widget-input',
    });
    // The file input sits in a label: clicking the paperclip opens the file picker everywhere,
    // mobile browsers included.
    const attach = el('label', { class: 'attach', title: strings.attach, 'data-testid': 'widget-attach' });
    attach.innerHTML = CLIP_ICON; // constant markup, no user text
    this.fileInput = el('input', {
      type: 'file',
      class: 'sr-only',
      accept: UPLOAD_TYPES.join(','),
      'aria-label': strings.attach,
      'data-testid': 'widget-file',
    });
    attach.append(this.fileInput);
    this.fileInput.addEventListener('change', () => {
      const files = Array.from(this.fileInput.files ?? []);
      this.fileInput.value = '';
      this.sendFiles(files);
    });
    // A screenshot pasted into the input, or files dropped on the panel.
    this.input.addEventListener('paste', (e) => {
      const files = Array.from(e.clipboardData?.files ?? []);
      if (files.length === 0) return;
      e.preventDefault();
      this.sendFiles(files);
    });
    const send = el('button', { class: 'send', type: 'submit', 'data-testid': 'widget-send' }, strings.send);
    form.append(label, attach, this.input, send);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.submit();
    });
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.submit();
      }
    });
    this.input.addEventListener('input', () => {
      this.autosize();
      if (this.input.value.trim()) handlers.onTyping();
    });
    this.panel.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.close();
    });
    this.panel.addEventListener('dragover', (e) => {
      if (!e.dataTransfer?.types.includes('Files')) return;
      e.preventDefault();
      this.panel.classList.add('dropping');
    });
    this.panel.addEventListener('dragleave', () => this.panel.classList.remove('dropping'));
    this.panel.addEventListener('drop', (e) => {
      this.panel.classList.remove('dropping');
      const files = Array.from(e.dataTransfer?.files ?? []);
      if (files.length === 0) return;
      e.preventDefault();
      this.sendFiles(files);
    });

    this.panel.append(head, this.log, this.typingLine, form);
    root.append(this.panel, this.launcher);
    shadow.append(style, root);
  }

  get isOpen(): boolean {
    return !this.panel.hidden;
  }

  /** Opens the panel; `focus` false when restoring it after a reload (don't steal focus). */
  open(focus = true): void {
    this.panel.hidden = false;
    this.launcher.classList.add('open');
    this.icon.innerHTML = CHEVRON_ICON;
    this.launcher.setAttribute('aria-expanded', 'true');
    this.launcher.setAttribute('aria-label', this.strings.close);
    this.unread = 0;
    this.renderUnread();
    this.handlers.onOpen();
    this.scrollToEnd();
    if (focus) this.input.focus();
  }

  close(): void {
    this.panel.hidden = true;
    this.launcher.classList.remove('open');
    this.icon.innerHTML = CHAT_ICON;
    this.launcher.setAttribute('aria-expanded', 'false');
    this.launcher.setAttribute('aria-label', this.strings.open);
    this.handlers.onClose();
    this.launcher.focus();
  }

  /** An agent or bot message arrived: count it on the launcher while the panel is closed. */
  noteIncoming(): void {
    this.hideTyping();
    if (this.isOpen) return;
    this.unread++;
    this.renderUnread();
  }

  showAgentTyping(): void {
    this.typingLine.textContent = `${this.strings.support} ${this.strings.agentTyping}`;
    this.typingLine.setAttribute('data-testid', 'widget-typing');
    if (this.typingTimer) clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => this.hideTyping(), 5000);
  }

  render(snapshot: ChatSnapshot): void {
    this.last = snapshot;
    this.subtitle.setAttribute('data-connection', snapshot.connection);
    this.subtitle.textContent =
      snapshot.connection === 'open'
        ? this.strings.subtitleOnline
        : snapshot.connection === 'closed'
          ? this.strings.subtitleOffline
          : this.strings.subtitleConnecting;
    const stick = this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < 80;
    const nodes: HTMLElement[] = [];
    for (const m of snapshot.messages) {
      const mine = m.direction === 'in';
      const text = isFilePlaceholder(m.text, m.attachments) ? '' : m.text;
      const box = this.bubble(text, mine, m.created_at, mine ? m.status : null, m.sender?.name ?? null);
      if (!mine && m.original) this.addOriginalToggle(box, m.id, m.text, m.original);
      if (m.attachments?.length) box.insertBefore(this.files(m.attachments), box.firstChild);
      nodes.push(box);
    }
    for (const p of snapshot.pending) nodes.push(this.bubble(p.text, true, p.created_at, p.failed ? 'failed' : 'pending', null));
    for (const u of snapshot.uploads ?? []) nodes.push(this.uploadBubble(u));
    if (nodes.length === 0) nodes.push(el('div', { class: 'empty' }, this.strings.empty));
    this.log.replaceChildren(...nodes);
    if (stick || snapshot.pending.length > 0 || (snapshot.uploads ?? []).length > 0) this.scrollToEnd();
  }

  private sendFiles(files: File[]): void {
    const caption = this.input.value;
    files.forEach((f, i) => this.handlers.onFile(f, i === 0 ? caption : ''));
    if (caption.trim()) {
      this.input.value = '';
      this.autosize();
    }
  }

  /** A message's files: images shown (a link to the full size), anything else as a link. */
  private files(files: WidgetAttachment[]): HTMLElement {
    const box = el('div', { class: 'files' });
    for (const f of files) {
      const href = this.origin + f.url;
      if (f.content_type.startsWith('image/')) {
        const link = el('a', { href, target: '_blank', rel: 'noopener noreferrer', class: 'file-image', 'data-testid': 'widget-image' });
        link.append(el('img', { src: href, alt: f.name, loading: 'lazy' }));
        box.append(link);
      } else {
        const link = el('a', { href, target: '_blank', rel: 'noopener noreferrer', download: f.name, class: 'file-link', 'data-testid': 'widget-file-link' });
        link.append(el('span', { class: 'file-name' }, f.name), el('span', { class: 'file-size' }, formatBytes(f.size)));
        box.append(link);
      }
    }
    return box;
  }

  /** A file on its way: name, progress, or why it was refused (with a dismiss button). */
  private uploadBubble(u: PendingUpload): HTMLElement {
    const box = el('div', {
      class: `msg mine upload${u.error ? ' failed' : ' pending'}`,
      'data-testid': 'widget-upload',
      'data-status': u.error ? 'failed' : 'pending',
    });
    const bubble = el('div', { class: 'bubble file-link' });
    bubble.append(el('span', { class: 'file-name' }, u.name), el('span', { class: 'file-size' }, formatBytes(u.size)));
    box.append(bubble);
    const meta = el('div', { class: 'meta', role: u.error ? 'alert' : 'status' });
    if (u.error) {
      const reason =
        u.error === 'too_large'
          ? this.strings.fileTooLarge.replace('{size}', formatBytes(this.uploadLimit))
          : u.error === 'unsupported_type'
            ? this.strings.fileUnsupported
            : this.strings.fileFailed;
      meta.append(el('span', { 'data-testid': 'widget-upload-error' }, reason));
      const dismiss = el('button', { type: 'button', class: 'dismiss', 'aria-label': this.strings.dismiss }, '×');
      dismiss.addEventListener('click', () => this.handlers.onDismissUpload(u.client_message_id));
      meta.append(dismiss);
    } else {
      const bar = el('progress', { max: '100', value: String(Math.round(u.progress * 100)), 'aria-label': this.strings.uploading });
      meta.append(bar, el('span', {}, ` ${this.strings.uploading}`));
    }
    box.append(meta);
    return box;
  }

  private bubble(text: string, mine: boolean, at: string, status: string | null, sender: string | null): HTMLElement {
    const pending = status === 'pending';
    const box = el('div', {
      class: `msg ${mine ? 'mine' : 'theirs'}${pending ? ' pending' : ''}`,
      'data-testid': 'widget-message',
      'data-mine': String(mine),
      'data-status': pending ? 'pending' : (status ?? 'received'),
    });
    if (text) box.append(el('div', { class: 'bubble' }, text));
    else box.append(el('div', { class: 'bubble empty-text' }));
    const meta = el('div', { class: 'meta' });
    const time = new Date(at);
    const clock = Number.isNaN(time.getTime())
      ? ''
      : new Intl.DateTimeFormat(this.locale, { hour: '2-digit', minute: '2-digit' }).format(time);
    meta.textContent = (mine ? '' : (sender ?? this.strings.support) + ' · ') + clock;
    if (status) {
      const label =
        status === 'pending' ? this.strings.sending
        : status === 'failed' ? this.strings.failed
        : status === 'read' ? this.strings.read
        : status === 'delivered' ? this.strings.delivered
        : this.strings.sent;
      const glyph = status === 'pending' ? '○' : status === 'failed' ? '!' : status === 'delivered' || status === 'read' ? '✓✓' : '✓';
      const tick = el('span', { class: 'tick', title: label, 'aria-label': label, 'data-testid': 'widget-tick' }, glyph);
      meta.append(tick);
    }
    box.append(meta);
    return box;
  }

  /** Messages whose original the visitor chose to see (kept across re-renders). */
  private readonly showingOriginal = new Set<number>();

  /** "Show original": the agent's own words of a translated reply, on request. */
  private addOriginalToggle(box: HTMLElement, id: number, text: string, original: { text: string; language: string }): void {
    const bubble = box.querySelector('.bubble') as HTMLElement;
    const toggle = el('button', { type: 'button', class: 'original-toggle', 'data-testid': 'widget-show-original' });
    const show = (on: boolean) => {
      bubble.textContent = on ? original.text : text;
      bubble.setAttribute('lang', on ? original.language : '');
      toggle.textContent = on ? this.strings.showTranslation : this.strings.showOriginal;
      toggle.setAttribute('aria-pressed', String(on));
    };
    show(this.showingOriginal.has(id));
    toggle.addEventListener('click', () => {
      if (this.showingOriginal.has(id)) this.showingOriginal.delete(id);
      else this.showingOriginal.add(id);
      show(this.showingOriginal.has(id));
    });
    box.insertBefore(toggle, box.lastChild);
  }

  private submit(): void {
    const text = this.input.value;
    if (!text.trim()) return;
    this.input.value = '';
    this.autosize();
    this.handlers.onSend(text);
  }

  private autosize(): void {
    this.input.style.height = 'auto';
    this.input.style.height = Math.min(this.input.scrollHeight + 2, 120) + 'px';
  }

  private hideTyping(): void {
    this.typingLine.textContent = '';
    this.typingLine.removeAttribute('data-testid');
  }

  private renderUnread(): void {
    this.dot.hidden = this.unread === 0;
    this.dot.textContent = this.unread > 9 ? '9+' : String(this.unread);
    this.dot.setAttribute('aria-label', `${this.unread} ${this.strings.unread}`);
  }

  private scrollToEnd(): void {
    this.log.scrollTop = this.log.scrollHeight;
  }

  /** The last snapshot rendered (tests and debugging). */
  get lastSnapshot(): ChatSnapshot | null {
    return this.last;
  }
}
