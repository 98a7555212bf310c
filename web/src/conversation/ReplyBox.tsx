import { useEffect, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { ReplyPreview, ReplyTranslation, UploadLimits } from '../api/types';
import { formatSize } from '../lib/format';
import { captionFor } from './caption';
import { TemplatePicker, type PickerKeys } from './TemplatePicker';
import { slashQuery } from './template_model';

interface Props {
  inputRef: RefObject<HTMLTextAreaElement | null>;
  conversationId: number;
  /** The customer's language when it differs from the agent's: replies are translated into it. */
  targetLanguage: string | null;
  onSend: (text: string, translation?: ReplyTranslation) => void;
  /** Called while the agent types; throttled here to one call per few seconds. */
  onTyping: () => void;
  /** The customer's name, prefilled into reply templates (LG6). */
  contactName?: string;
  /** The channel refuses free text now (messaging window closed): shown why, input off. */
  disabledReason?: string;
  /** Files agents may send in this conversation (web chat); null/undefined: no attach button. */
  uploads?: UploadLimits | null;
  /** Sends a file with the text written so far as its caption. */
  onAttach?: (file: File, caption: string) => void;
}

const TYPING_THROTTLE_MS = 3000;
const PREVIEW_DEBOUNCE_MS = 400;

export function ReplyBox({ inputRef, conversationId, targetLanguage, onSend, onTyping, contactName = '', disabledReason, uploads, onAttach }: Props) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const fileRef = useRef<HTMLInputElement>(null);
  const [fileError, setFileError] = useState<string | null>(null);

  /** Checks a file against the channel's limits (the server checks again) and sends it. The
   * text written so far goes with the first file as its caption when the channel takes one that
   * long; otherwise the file goes alone and the text stays in the box, to be sent as a message. */
  function attach(files: File[]) {
    if (!uploads || !onAttach || disabledReason) return;
    setFileError(null);
    const caption = captionFor(uploads, text);
    files.forEach((file, i) => {
      if (file.type && !uploads.types.includes(file.type)) {
        setFileError(t('reply.file.unsupported', { name: file.name }));
      } else if (file.size > uploads.max_bytes) {
        setFileError(t('reply.file.tooLarge', { name: file.name, size: formatSize(uploads.max_bytes) }));
      } else {
        onAttach(file, i === 0 && caption !== null ? caption : '');
      }
    });
    if (caption) reset();
  }
  const lastTyping = useRef(0);
  const [picking, setPicking] = useState(false);
  const pickerKeys = useRef<PickerKeys | null>(null);
  // A reply template's text, already rendered in the customer's language: sent as it is, never
  // translated again (until the agent edits it).
  const [templated, setTemplated] = useState<string | null>(null);
  // The preview of the current text (LG2): `for` is the text it was made for.
  const [preview, setPreview] = useState<{ for: string; value: ReplyPreview } | null>(null);
  const [draft, setDraft] = useState('');
  const [edited, setEditedState] = useState(false);
  const editedRef = useRef(false);
  const setEdited = (v: boolean) => {
    editedRef.current = v;
    setEditedState(v);
  };
  const [previewError, setPreviewError] = useState<string | null>(null);
  const seq = useRef(0);
  const needs = !!targetLanguage && templated !== text;

  function fetchPreview(value: string): Promise<ReplyPreview | null> {
    const mine = ++seq.current;
    return api.previewReply(conversationId, value).then(
      (p) => {
        if (mine !== seq.current) return p;
        setPreviewError(null);
        setPreview({ for: value, value: p });
        if (!editedRef.current) setDraft(p.translation ?? '');
        return p;
      },
      (e: Error) => {
        if (mine === seq.current) setPreviewError(e.message);
        return null;
      },
    );
  }

  // Debounced preview while the agent writes.
  useEffect(() => {
    const value = text.trim();
    if (!needs || !value) {
      seq.current++;
      setPreview(null);
      setPreviewError(null);
      return;
    }
    if (preview?.for === value) return;
    const timer = setTimeout(() => void fetchPreview(value), PREVIEW_DEBOUNCE_MS);
    return () => clearTimeout(timer);
    // fetchPreview is stable in behaviour; the text and the conversation drive it.
  }, [text, needs, conversationId]);

  function reset() {
    seq.current++;
    setText('');
    setTemplated(null);
    setDraft('');
    setEdited(false);
    setPreview(null);
    setPreviewError(null);
  }

  async function submit(untranslated = false) {
    const value = text.trim();
    if (!value || disabledReason) return;
    if (needs && !untranslated) {
      const shown = preview?.for === value ? preview.value : null;
      const p = shown ?? (await fetchPreview(value));
      if (!p) return; // the preview failed: its error is shown
      // No engine covers the pair: the agent is told first; once told, sending goes untranslated.
      if (!p.available) {
        if (shown) {
          onSend(value);
          reset();
        }
        return;
      }
      if (p.needed) {
        const body = edited ? draft.trim() : (p.translation ?? '').trim();
        if (!body) return;
        onSend(value, { text: body, edited: edited && body !== (p.translation ?? '').trim() });
        reset();
        return;
      }
    }
    onSend(value);
    reset();
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (pickerKeys.current?.(e)) return;
    // Enter sends, Shift+Enter is a new line; never send while an IME is composing (Chinese input).
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void submit();
    }
  }

  const p = preview?.for === text.trim() ? preview.value : null;
  const fuzzy = p?.memory.fuzzy ?? [];
  return (
    <form
      className="reply"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <div className="reply-main">
        <label className="sr-only" htmlFor="reply-input">
          {t('reply.label')}
        </label>
        <TemplatePicker
          conversationId={conversationId}
          contactName={contactName}
          slash={slashQuery(text)}
          open={picking}
          keysRef={pickerKeys}
          onInsert={(value) => {
            setText(value);
            setTemplated(value);
            setPicking(false);
            inputRef.current?.focus();
          }}
          onClose={() => {
            setPicking(false);
            if (slashQuery(text) !== null) setText('');
            inputRef.current?.focus();
          }}
        />
        <textarea
          id="reply-input"
          ref={inputRef}
          rows={3}
          value={text}
          placeholder={disabledReason ?? t('reply.placeholder')}
          disabled={!!disabledReason}
          onChange={(e) => {
            setText(e.target.value);
            const now = Date.now();
            if (now - lastTyping.current > TYPING_THROTTLE_MS) {
              lastTyping.current = now;
              onTyping();
            }
          }}
          onKeyDown={onKeyDown}
          onPaste={(e) => {
            const files = Array.from(e.clipboardData.files);
            if (files.length === 0 || !uploads) return;
            e.preventDefault();
            attach(files);
          }}
          onDrop={(e) => {
            const files = Array.from(e.dataTransfer.files);
            if (files.length === 0 || !uploads) return;
            e.preventDefault();
            attach(files);
          }}
          data-testid="reply-input"
        />
        {fileError && (
          <div className="banner error" role="alert" data-testid="reply-file-error">
            {fileError}
          </div>
        )}
        {needs && text.trim() && (
          <div className="reply-translation" data-testid="reply-translation" lang={targetLanguage ?? undefined}>
            <div className="muted small reply-translation-head">
              {t('reply.translation.into', {
                language: t('langName.' + targetLanguage, { defaultValue: targetLanguage }),
              })}
              {p?.available && p.engine && (
                <span className="chip" data-testid="reply-translation-engine">
                  {p.memory.exact ? t('reply.translation.memoryExact') : t('reply.translation.engine', { engine: p.engine })}
                </span>
              )}
              {edited && <span className="chip">{t('reply.translation.edited')}</span>}
            </div>
            {p?.available ? (
              <textarea
                rows={2}
                value={draft}
                aria-label={t('reply.translation.label')}
                onChange={(e) => {
                  setDraft(e.target.value);
                  setEdited(true);
                }}
                onKeyDown={onKeyDown}
                data-testid="reply-translation-input"
              />
            ) : p && !p.available ? (
              <div className="banner warning" role="alert" data-testid="reply-translation-unavailable">
                {t('reply.translation.unavailable', { message: p.unavailable?.message ?? '' })}
              </div>
            ) : previewError ? (
              <div className="banner error" role="alert">
                {t('reply.translation.failed', { message: previewError })}
              </div>
            ) : (
              <div className="muted small">{t('reply.translation.loading')}</div>
            )}
            {fuzzy.length > 0 && (
              <ul className="reply-memory" data-testid="reply-memory">
                {fuzzy.map((m) => (
                  <li key={m.source}>
                    <span className="chip">{t('reply.translation.match', { score: Math.round(m.score * 100) })}</span>{' '}
                    <span className="muted">{m.source}</span> → {m.target}{' '}
                    <button
                      type="button"
                      className="link"
                      onClick={() => {
                        setDraft(m.target);
                        setEdited(true);
                      }}
                    >
                      {t('reply.translation.use')}
                    </button>
                  </li>
                ))}
              </ul>
            )}
            <button type="button" className="link" onClick={() => void submit(true)} data-testid="reply-send-untranslated">
              {t('reply.translation.sendWithout')}
            </button>
          </div>
        )}
      </div>
      {uploads && onAttach && (
        <>
          <input
            ref={fileRef}
            type="file"
            className="sr-only"
            accept={uploads.types.join(',')}
            tabIndex={-1}
            aria-hidden="true"
            onChange={(e) => {
              const files = Array.from(e.target.files ?? []);
              e.target.value = '';
              attach(files);
            }}
            data-testid="reply-file"
          />
          <button
            type="button"
            onClick={() => fileRef.current?.click()}
            disabled={!!disabledReason}
            aria-label={t('reply.file.attach')}
            title={t('reply.file.attachHint')}
            className="reply-attach"
            data-testid="reply-attach"
          >
            <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
              <path d="M21 11.5l-8.5 8.5a5 5 0 0 1-7-7L14 4.5a3.3 3.3 0 0 1 4.7 4.7l-8.6 8.6a1.7 1.7 0 0 1-2.4-2.4L15.5 7.6" />
            </svg>
          </button>
        </>
      )}
      <button type="button" onClick={() => setPicking((v) => !v)} disabled={!!disabledReason} data-testid="template-button" title={t('templates.hint')}>
        {t('templates.button')}
      </button>
      <button type="submit" className="primary" disabled={!text.trim() || !!disabledReason} data-testid="reply-send">
        {t('reply.send')}
      </button>
    </form>
  );
}
