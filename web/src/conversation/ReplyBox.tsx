import { useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { TemplatePicker, type PickerKeys } from './TemplatePicker';
import { slashQuery } from './template_model';

interface Props {
  inputRef: RefObject<HTMLTextAreaElement | null>;
  onSend: (text: string) => void;
  /** Called while the agent types; throttled here to one call per few seconds. */
  onTyping: () => void;
  /** The conversation, for reply templates rendered in its customer's language. */
  conversationId?: number;
  contactName?: string;
  /** The channel refuses free text now (messaging window closed): shown why, input off. */
  disabledReason?: string;
}

const TYPING_THROTTLE_MS = 3000;

export function ReplyBox({ inputRef, onSend, onTyping, conversationId, contactName = '', disabledReason }: Props) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const lastTyping = useRef(0);
  const [picking, setPicking] = useState(false);
  const pickerKeys = useRef<PickerKeys | null>(null);

  function submit() {
    const value = text.trim();
    if (!value || disabledReason) return;
    onSend(value);
    setText('');
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (pickerKeys.current?.(e)) return;
    // Enter sends, Shift+Enter is a new line; never send while an IME is composing (Chinese input).
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      submit();
    }
  }

  return (
    <form
      className="reply"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <label className="sr-only" htmlFor="reply-input">
        {t('reply.label')}
      </label>
      {conversationId !== undefined && (
        <TemplatePicker
          conversationId={conversationId}
          contactName={contactName}
          slash={slashQuery(text)}
          open={picking}
          keysRef={pickerKeys}
          onInsert={(value) => {
            setText(value);
            setPicking(false);
            inputRef.current?.focus();
          }}
          onClose={() => {
            setPicking(false);
            if (slashQuery(text) !== null) setText('');
            inputRef.current?.focus();
          }}
        />
      )}
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
        data-testid="reply-input"
      />
      {conversationId !== undefined && (
        <button type="button" onClick={() => setPicking((v) => !v)} data-testid="template-button" title={t('templates.hint')}>
          {t('templates.button')}
        </button>
      )}
      <button type="submit" className="primary" disabled={!text.trim() || !!disabledReason} data-testid="reply-send">
        {t('reply.send')}
      </button>
    </form>
  );
}
