// The widget's DOM: a launcher bubble and a chat panel inside an open shadow root. Plain DOM
// code (no framework) so widget.js stays small; text is always set with textContent.

import type { ChatSnapshot } from './chat_client';
import type { Strings } from './strings';
import { WIDGET_CSS } from './styles';

const CHAT_ICON =
  '<svg viewBox="0 0 24 24" fill="currentColor" aria-hidden="true"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z"/></svg>';
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
  private unread = 0;
  private typingTimer: ReturnType<typeof setTimeout> | null = null;
  private last: ChatSnapshot | null = null;

  constructor(
    private readonly strings: Strings,
    private readonly locale: string,
    private readonly handlers: WidgetViewHandlers,
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
    const send = el('button', { class: 'send', type: 'submit', 'data-testid': 'widget-send' }, strings.send);
    form.append(label, this.input, send);
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
      const box = this.bubble(m.text, mine, m.created_at, mine ? m.status : null, m.sender?.name ?? null);
      if (!mine && m.original) this.addOriginalToggle(box, m.id, m.text, m.original);
      nodes.push(box);
    }
    for (const p of snapshot.pending) nodes.push(this.bubble(p.text, true, p.created_at, p.failed ? 'failed' : 'pending', null));
    if (nodes.length === 0) nodes.push(el('div', { class: 'empty' }, this.strings.empty));
    this.log.replaceChildren(...nodes);
    if (stick || snapshot.pending.length > 0) this.scrollToEnd();
  }

  private bubble(text: string, mine: boolean, at: string, status: string | null, sender: string | null): HTMLElement {
    const pending = status === 'pending';
    const box = el('div', {
      class: `msg ${mine ? 'mine' : 'theirs'}${pending ? ' pending' : ''}`,
      'data-testid': 'widget-message',
      'data-mine': String(mine),
      'data-status': pending ? 'pending' : (status ?? 'received'),
    });
    box.append(el('div', { class: 'bubble' }, text));
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
