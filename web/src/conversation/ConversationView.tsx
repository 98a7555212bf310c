// One conversation: header with actions, message history (older pages load on scroll up),
// the customer's typing indicator, and the reply box.

import { useCallback, useEffect, useLayoutEffect, useRef, useState, type MutableRefObject, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { live } from '../api/live';
import type { Agent, Conversation, Message, MessageTranslation, ReplyTranslation, UploadLimits } from '../api/types';
import { formatTime } from '../lib/format';
import { confirmLocal, mergeMessages, type ViewMessage } from './message_model';
import { highlight } from './highlight';
import { ContactPanel } from './ContactPanel';
import { LanguagePicker } from './LanguagePicker';
import { Attachments } from './Attachments';
import { MessageInsights } from './MessageInsights';
import { ReplyBox } from './ReplyBox';
import { DeliveryFailure } from '../channel/DeliveryFailure';
import { TemplatePicker } from '../channel/TemplatePicker';
import { useMessagingWindow } from '../channel/useMessagingWindow';
import { WindowBanner } from '../channel/WindowBanner';

export type ConversationAction = 'assign' | 'resolve' | 'reopen';

interface Props {
  conversationId: number;
  initial: Conversation | null;
  me: Agent;
  replyRef: RefObject<HTMLTextAreaElement | null>;
  actionRef: MutableRefObject<((a: ConversationAction) => void) | null>;
  onChanged: (c: Conversation) => void;
  onBack: () => void;
  onOpenConversation?: (id: number) => void;
}

const TYPING_SHOWN_MS = 5000;

/** What a reply shows while it is on its way (text, original, a file's name). */
type LocalShown = Partial<ViewMessage>;

export function ConversationView({
  conversationId,
  initial,
  me,
  replyRef,
  actionRef,
  onChanged,
  onBack,
  onOpenConversation,
}: Props) {
  const { t, i18n } = useTranslation();
  const [conversation, setConversation] = useState<Conversation | null>(initial);
  // Files agents may send here (only GET /conversations/{id} tells; live events do not).
  const [uploads, setUploads] = useState<UploadLimits | null>(null);
  const [messages, setMessages] = useState<ViewMessage[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [typingUntil, setTypingUntil] = useState(0);
  const [, setTick] = useState(0);
  const scrollRef = useRef<HTMLDivElement>(null);
  // How to restore the scroll position after the next render: stick to the bottom, or keep
  // the same distance from the bottom (older messages were prepended).
  const scrollPlan = useRef<{ kind: 'bottom' } | { kind: 'keep'; fromBottom: number } | null>(null);
  // Inbound messages in the agent's own language (LG2): from the list, the pipeline, or asked
  // for once per message when missing; kept per reader language.
  const reader = me.effective_translation_language ?? me.translation_language ?? me.working_language ?? 'en';
  const [translations, setTranslations] = useState<Record<number, MessageTranslation | null>>({});
  const requested = useRef(new Set<number>());
  useEffect(() => {
    setTranslations({});
    requested.current = new Set();
  }, [reader, conversationId]);

  const changed = useCallback(
    (c: Conversation) => {
      setConversation(c);
      onChanged(c);
    },
    [onChanged],
  );

  const markRead = useCallback(() => {
    api.markRead(conversationId).then(changed, () => undefined);
  }, [conversationId, changed]);

  // Load the conversation and its newest messages, and mark them read.
  useEffect(() => {
    let cancelled = false;
    setUploads(null);
    api.conversation(conversationId).then(
      (c) => {
        if (cancelled) return;
        setConversation(c);
        setUploads(c.uploads ?? null);
      },
      () => undefined,
    );
    api.messages(conversationId).then(
      (page) => {
        if (cancelled) return;
        scrollPlan.current = { kind: 'bottom' };
        setMessages((list) => mergeMessages(list, page.items));
        setCursor(page.next_cursor);
        setLoaded(true);
      },
      (e: Error) => !cancelled && setError(e.message),
    );
    markRead();
    return () => {
      cancelled = true;
    };
  }, [conversationId, markRead]);

  const nearBottom = () => {
    const el = scrollRef.current;
    return !el || el.scrollHeight - el.scrollTop - el.clientHeight < 120;
  };

  // Live events for this conversation.
  useEffect(() => {
    const offEvents = live.subscribe((event) => {
      switch (event.type) {
        case 'message.created':
          if (event.message.conversation_id !== conversationId) return;
          if (nearBottom()) scrollPlan.current = { kind: 'bottom' };
          setMessages((list) => mergeMessages(list, [event.message]));
          setConversation(event.conversation);
          if (event.message.direction === 'in') {
            setTypingUntil(0);
            if (document.visibilityState === 'visible') markRead();
          }
          break;
        case 'message.updated':
          if (event.message.conversation_id !== conversationId) return;
          setMessages((list) => (list.some((m) => m.id === event.message.id) ? mergeMessages(list, [event.message]) : list));
          if (event.conversation) setConversation(event.conversation);
          break;
        case 'conversation.updated':
          if (event.conversation.id === conversationId) setConversation(event.conversation);
          break;
        case 'contact.updated':
          // Merged or split: this conversation may belong to another contact now.
          if (event.conversation_ids.includes(conversationId)) {
            api.conversation(conversationId).then(setConversation, () => undefined);
          }
          break;
        case 'typing':
          if (event.conversation_id === conversationId && event.sender_kind === 'customer') {
            setTypingUntil(Date.now() + TYPING_SHOWN_MS);
            setTimeout(() => setTick((n) => n + 1), TYPING_SHOWN_MS + 50);
          }
          break;
      }
    });
    // After a reconnect, fetch the newest page again: events may have been missed.
    const offState = live.onState((_s, reconnected) => {
      if (!reconnected) return;
      api.messages(conversationId).then((page) => setMessages((list) => mergeMessages(list, page.items)), () => undefined);
    });
    return () => {
      offEvents();
      offState();
    };
  }, [conversationId, markRead]);

  useEffect(() => {
    for (const m of messages) {
      if (m.direction !== 'in' || !m.language || m.language === 'und' || m.language === reader) continue;
      if (translations[m.id] !== undefined || requested.current.has(m.id)) continue;
      const known =
        (m.translation?.language === reader && m.translation) ||
        (m.nlu?.translation?.language === reader && m.nlu.translation) ||
        null;
      if (known) {
        setTranslations((all) => ({ ...all, [m.id]: known }));
        continue;
      }
      requested.current.add(m.id);
      api.messageTranslation(m.id).then(
        (tr) => setTranslations((all) => ({ ...all, [m.id]: tr })),
        () => setTranslations((all) => ({ ...all, [m.id]: null })),
      );
    }
  }, [messages, reader, translations]);

  useLayoutEffect(() => {
    const el = scrollRef.current;
    const plan = scrollPlan.current;
    if (!el || !plan) return;
    scrollPlan.current = null;
    el.scrollTop = plan.kind === 'bottom' ? el.scrollHeight : el.scrollHeight - plan.fromBottom;
  }, [messages]);

  const loadOlder = useCallback(() => {
    if (!cursor || loadingOlder) return;
    setLoadingOlder(true);
    api.messages(conversationId, cursor).then(
      (page) => {
        const el = scrollRef.current;
        if (el) scrollPlan.current = { kind: 'keep', fromBottom: el.scrollHeight - el.scrollTop };
        setMessages((list) => mergeMessages(list, page.items));
        setCursor(page.next_cursor);
        setLoadingOlder(false);
      },
      () => setLoadingOlder(false),
    );
  }, [conversationId, cursor, loadingOlder]);

  // A first page too short to scroll could never trigger "load older": fetch more at once.
  useEffect(() => {
    const el = scrollRef.current;
    if (el && loaded && cursor && !loadingOlder && el.scrollHeight <= el.clientHeight + 10) loadOlder();
  }, [messages, loaded, cursor, loadingOlder, loadOlder]);

  const onScroll = () => {
    const el = scrollRef.current;
    if (el && el.scrollTop < 80) loadOlder();
  };

  const act = useCallback(
    (action: ConversationAction) => {
      setActionError(null);
      const call =
        action === 'assign' ? api.assign(conversationId) : action === 'resolve' ? api.resolve(conversationId) : api.reopen(conversationId);
      call.then(changed, (e: Error) => setActionError(e.message));
    },
    [conversationId, changed],
  );
  useEffect(() => {
    actionRef.current = act;
    return () => {
      actionRef.current = null;
    };
  }, [act, actionRef]);

  // Shows a reply at once as pending, then as the server stored it (or failed, with why).
  const sendLocal = useCallback(
    (localId: string, call: Promise<Message>, shown: LocalShown) => {
      const placeholder: ViewMessage = {
        id: Number.MAX_SAFE_INTEGER,
        localId,
        conversation_id: conversationId,
        direction: 'out',
        sender_kind: 'agent',
        sender: { id: me.id, name: me.name },
        text: '',
        content_type: 'text',
        status: 'pending',
        client_message_id: null,
        created_at: new Date().toISOString(),
        ...shown,
      };
      scrollPlan.current = { kind: 'bottom' };
      setMessages((list) => [...list.filter((m) => m.localId !== localId), placeholder]);
      call.then(
        (message) => setMessages((list) => confirmLocal(list, localId, message)),
        (e: Error) =>
          setMessages((list) => list.map((m) => (m.localId === localId ? { ...m, status: 'failed', error: e.message } : m))),
      );
    },
    [conversationId, me.id, me.name],
  );

  const send = useCallback(
    (text: string, translation?: ReplyTranslation, retryOf?: string) => {
      const localId = retryOf ?? 'local-' + Math.random().toString(36).slice(2);
      sendLocal(localId, api.reply(conversationId, text, translation), {
        text: translation ? translation.text : text,
        original: translation ? { text, language: reader } : undefined,
      });
    },
    [conversationId, reader, sendLocal],
  );

  // A file as a reply (web chat): shown pending with its name until the server stored it.
  const sendFile = useCallback(
    (file: File, caption: string) => {
      const localId = 'local-' + Math.random().toString(36).slice(2);
      sendLocal(localId, api.sendAttachment(conversationId, file, caption, localId), {
        text: caption || t('reply.file.uploading', { name: file.name }),
        uploading: true,
      });
    },
    [conversationId, sendLocal, t],
  );

  // The channel's messaging window, fetched again whenever the customer writes.
  const lastInboundId = messages.reduce<number | null>((id, m) => (m.direction === 'in' && !m.localId ? m.id : id), null);
  const messaging = useMessagingWindow(conversationId, lastInboundId);
  const templates = messaging.window?.allowed_templates ?? [];
  const sendTemplate = useCallback(
    async (template: { name: string; language: string; parameters: string[] }) => {
      const message = await api.sendTemplate(conversationId, template);
      scrollPlan.current = { kind: 'bottom' };
      // The live feed may have brought it (and its delivery) first: never go back to pending.
      setMessages((list) => (list.some((m) => m.id === message.id) ? list : mergeMessages(list, [message])));
    },
    [conversationId],
  );

  if (error) return <div className="empty-state error">{t('conversation.loadError', { message: error })}</div>;

  const c = conversation;
  const typing = typingUntil > Date.now();
  return (
    <>
    <section className="conversation" data-testid="conversation-view" data-conversation-id={conversationId}>
      <header className="conv-header">
        <button className="back" onClick={onBack} aria-label={t('conversation.back')}>
          ←
        </button>
        <div className="conv-title">
          <h2>{c?.contact.name ?? '…'}</h2>
          {c && (
            <div className="muted small">
              <span className={'chip status-' + c.status} data-testid="conversation-status">
                {t('status.' + c.status)}
              </span>{' '}
              {t('conversation.via', { inbox: c.inbox.name })} ·{' '}
              {c.assignee ? t('conversation.assignedTo', { name: c.assignee.name }) : t('conversation.unassigned')}
              {' · '}
              <LanguagePicker
                value={c.language ?? ''}
                setByAgent={!!c.language_set_by_agent}
                onChange={(language) => {
                  setActionError(null);
                  api.setConversationLanguage(conversationId, language).then(changed, (e: Error) => setActionError(e.message));
                }}
              />
            </div>
          )}
        </div>
        <div className="conv-actions">
          {c && c.assignee?.id !== me.id && (
            <button onClick={() => act('assign')} data-testid="assign-button">
              {t('conversation.assignToMe')}
            </button>
          )}
          {c && c.status !== 'resolved' ? (
            <button className="primary" onClick={() => act('resolve')} data-testid="resolve-button" title="e">
              {t('conversation.resolve')} <kbd>e</kbd>
            </button>
          ) : (
            c && (
              <button onClick={() => act('reopen')} data-testid="reopen-button">
                {t('conversation.reopen')}
              </button>
            )
          )}
        </div>
      </header>
      {actionError && (
        <div className="banner error" role="alert">
          {t('conversation.actionError', { message: actionError })}
        </div>
      )}
      <div className="messages" ref={scrollRef} onScroll={onScroll} role="log" aria-live="polite" data-testid="message-list">
        {loaded && !cursor && <div className="history-edge">{t('conversation.beginning')}</div>}
        {loadingOlder && <div className="history-edge">{t('conversation.loadingOlder')}</div>}
        {!loaded && <div className="history-edge">{t('app.loading')}</div>}
        {messages.map((m) => (
          <div
            key={m.localId ?? m.id}
            className={'msg ' + (m.direction === 'in' ? 'in' : 'out') + ' kind-' + m.sender_kind}
            data-testid="message"
            data-direction={m.direction}
            data-status={m.status}
          >
            <div className="msg-bubble">
              {m.meta?.email?.subject && <div className="msg-subject small">{m.meta.email.subject}</div>}
              <div className="msg-text" data-testid="message-text">
                {m.direction === 'in' && m.nlu
                  ? highlight(m.text, m.nlu.entities ?? []).map((run, i) =>
                      run.type ? (
                        <mark key={i} className={'entity entity-' + run.type} title={t('insights.entity.' + run.type)}>
                          {run.text}
                        </mark>
                      ) : (
                        run.text
                      ),
                    )
                  : m.text}
              </div>
              {m.direction === 'in' && translations[m.id] && (
                <div className="msg-translation" data-testid="message-translation" lang={translations[m.id]!.language}>
                  <span className="muted small">
                    {t('insights.translated', {
                      from: (m.language ?? '').toUpperCase(),
                      engine: translations[m.id]!.engine,
                    })}
                  </span>
                  <div>{translations[m.id]!.text}</div>
                </div>
              )}
              {m.original && (
                <div className="msg-original" data-testid="message-original" lang={m.original.language}>
                  <span className="muted small">
                    {t('message.original', { language: m.original.language.toUpperCase() })}
                  </span>
                  <div>{m.original.text}</div>
                </div>
              )}
              {m.attachments && <Attachments files={m.attachments} />}
              {m.meta?.automated && (
                <div className="msg-automated muted small" data-testid="message-automated">
                  {t('message.automated.' + m.meta.automated)}
                </div>
              )}
              {m.masked && (
                <div className="msg-masked muted small" data-testid="message-masked">
                  {t('insights.masked')}
                </div>
              )}
            </div>
            {m.direction === 'in' && m.nlu && <MessageInsights nlu={m.nlu} />}
            <div className="msg-meta">
              {m.sender?.name ?? t('message.sender.' + m.sender_kind)} · {formatTime(m.created_at, i18n.language)}
              {m.direction === 'out' && <> · {t('message.status.' + m.status)}</>}
              {m.direction === 'out' && !m.localId && (
                <DeliveryFailure
                  message={m}
                  onRetried={(r) =>
                    // Only over the failed copy: the live feed may already tell the delivery.
                    setMessages((list) =>
                      list.some((x) => x.id === r.id && x.status === 'failed') ? mergeMessages(list, [r]) : list,
                    )
                  }
                />
              )}
              {m.localId && m.error && (
                <>
                  {' '}
                  · <span className="error">{t('reply.failed', { message: m.error })}</span>{' '}
                  {!m.uploading && (
                  <button
                    className="link"
                    onClick={() =>
                      send(m.original ? m.original.text : m.text, m.original ? { text: m.text } : undefined, m.localId)
                    }
                  >
                    {t('reply.retry')}
                  </button>
                  )}
                </>
              )}
            </div>
          </div>
        ))}
      </div>
      <div className="typing" aria-live="polite" data-testid={typing ? 'typing-indicator' : undefined}>
        {typing ? t('conversation.typing', { name: c?.contact.name ?? t('conversation.customer') }) : ''}
      </div>
      <WindowBanner view={messaging.view} hasTemplates={templates.length > 0} />
      {messaging.view?.freeTextBlocked && templates.length > 0 && (
        <TemplatePicker key={templates.map((x) => x.name).join()} templates={templates} onSend={sendTemplate} />
      )}
      <ReplyBox
        inputRef={replyRef}
        conversationId={conversationId}
        targetLanguage={c?.language && c.language !== 'und' && c.language !== reader ? c.language : null}
        onSend={send}
        onTyping={() => live.sendTyping(conversationId)}
        contactName={c?.contact.name ?? ''}
        disabledReason={messaging.view?.freeTextBlocked ? t('window.replyDisabled') : undefined}
        uploads={uploads}
        onAttach={sendFile}
      />
    </section>
    {c && (
      <ContactPanel contactId={c.contact.id} conversationId={conversationId} me={me} onOpenConversation={onOpenConversation} />
    )}
    </>
  );
}
