// The conversation's language (LG1): detected from the customer's messages, or chosen by an
// agent — a choice detection never overrides until the agent hands it back ("automatic").
import { useTranslation } from 'react-i18next';

/** The languages Meridian detects, offered for an agent's choice. */
/** Languages an agent may choose to read and write in (the workspace's top bar). */
export const TRANSLATION_LANGUAGES = ['en', 'zh', 'es', 'fr', 'de', 'pt', 'it', 'ca', 'nl', 'ja', 'ko', 'ru', 'ar', 'tr', 'id', 'ms', 'vi', 'th'];

export const CONVERSATION_LANGUAGES = [
  'en', 'de', 'fr', 'es', 'it', 'pt', 'nl', 'pl', 'sv', 'ru', 'ar', 'tr', 'ja', 'zh', 'ko', 'th', 'vi', 'id', 'ms', 'hi',
] as const;

const AUTO = '';

export function LanguagePicker(props: { value: string; setByAgent: boolean; onChange: (language: string | null) => void }) {
  const { t } = useTranslation();
  const known = (CONVERSATION_LANGUAGES as readonly string[]).includes(props.value);
  return (
    <label className="language-picker">
      {t('conversation.languageLabel')}{' '}
      <select
        data-testid="conversation-language"
        value={props.setByAgent ? props.value : AUTO}
        onChange={(e) => props.onChange(e.target.value === AUTO ? null : e.target.value)}
      >
        <option value={AUTO}>
          {props.value && !props.setByAgent
            ? t('conversation.languageDetected', { language: t('langName.' + props.value, { defaultValue: props.value }) })
            : t('conversation.languageAuto')}
        </option>
        {props.setByAgent && !known && <option value={props.value}>{props.value}</option>}
        {CONVERSATION_LANGUAGES.map((code) => (
          <option key={code} value={code}>
            {t('langName.' + code)}
          </option>
        ))}
      </select>
    </label>
  );
}
