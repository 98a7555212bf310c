// widget.js entry: finds its own <script data-inbox> tag, derives the server origin from the
// script's src, and mounts the chat. Embedded with one tag (PRODUCT.md CH1):
//   <script src="https://HOST/widget.js" data-inbox="INBOX_ID" async></script>

import { ChatClient } from './chat_client';
import { pickLocale, STRINGS } from './strings';
import { WidgetView } from './ui';

declare global {
  interface Window {
    __meridianWidget?: { client: ChatClient; view: WidgetView };
  }
}

function findScript(): HTMLScriptElement | null {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement && current.dataset.inbox) return current;
  const tags = document.querySelectorAll<HTMLScriptElement>('script[data-inbox][src]');
  for (const tag of Array.from(tags)) if (/\/widget\.js(\?|#|$)/.test(tag.src)) return tag;
  return null;
}

function storage(kind: 'localStorage' | 'sessionStorage'): Storage | null {
  try {
    const s = window[kind];
    s.getItem('x');
    return s;
  } catch {
    return null;
  }
}

function mount(script: HTMLScriptElement): void {
  if (window.__meridianWidget) return; // embedded twice: keep the first
  const inboxId = script.dataset.inbox!;
  const origin = new URL(script.src, location.href).origin;
  const locale = pickLocale([script.dataset.locale, document.documentElement.lang, ...(navigator.languages ?? []), navigator.language]);
  const strings = STRINGS[locale];

  let view: WidgetView | null = null;
  const client = new ChatClient({
    origin,
    inboxId,
    locale: navigator.language,
    storage: storage('localStorage'),
    onChange: (snapshot) => {
      if (!view) return;
      view.uploadLimit = client.uploadLimit;
      view.render(snapshot);
    },
    onIncoming: () => view?.noteIncoming(),
    onAgentTyping: () => view?.showAgentTyping(),
  });
  // Whether the panel was open in this tab, so a reload (or moving to the next page of the
  // shop) keeps the chat where the visitor left it.
  const tab = storage('sessionStorage');
  const openKey = `meridian.widget.${inboxId}.open`;
  view = new WidgetView(strings, locale, {
    onOpen: () => {
      tab?.setItem(openKey, '1');
      client.start();
    },
    onClose: () => tab?.removeItem(openKey),
    onSend: (text) => client.send(text),
    onTyping: () => client.typing(),
    onFile: (file, caption) => client.sendFile(file, caption),
    onDismissUpload: (id) => client.dismissUpload(id),
  }, origin);
  view.render(client.snapshot());
  document.body.append(view.host);
  // A returning visitor reconnects at once, so replies that come while the panel is closed
  // show on the launcher.
  if (client.hasSession) client.start();
  if (tab?.getItem(openKey) === '1') view.open(false);
  window.__meridianWidget = { client, view };
}

const script = findScript();
if (script) {
  if (document.body) mount(script);
  else document.addEventListener('DOMContentLoaded', () => mount(script), { once: true });
}
