// What the NLU pipeline found in a customer's message, as small chips under it: the language,
// the intent (with its confidence), the sentiment and strongest emotion, the entities (order and
// tracking numbers, amounts, dates...) and a warning when the message carries personal data.
import { useTranslation } from 'react-i18next';
import type { Nlu } from '../api/types';

const EMOTION_SHOWN = 0.5;

export function MessageInsights({ nlu }: { nlu: Nlu }) {
  const { t } = useTranslation();
  const intent = nlu.intent.id;
  const emotions = Object.entries(nlu.sentiment.emotions).filter(([, v]) => v >= EMOTION_SHOWN);
  emotions.sort((a, b) => b[1] - a[1]);
  return (
    <div className="msg-insights" data-testid="message-insights">
      {nlu.language.code !== 'und' && (
        <span className="chip lang" data-testid="insight-language" title={t('insights.language')}>
          {nlu.language.code.toUpperCase()}
        </span>
      )}
      {intent !== 'out_of_scope' && (
        <span
          className="chip intent"
          data-testid="insight-intent"
          data-intent={intent}
          title={t('insights.confidence', { value: Math.round(nlu.intent.confidence * 100) })}
        >
          {t('intent.' + intent, { defaultValue: intent.replace(/_/g, ' ') })}
        </span>
      )}
      {nlu.sentiment.label !== 'neutral' && (
        <span className={'chip sentiment-' + nlu.sentiment.label} data-testid="insight-sentiment">
          {t('insights.sentiment.' + nlu.sentiment.label)}
          {emotions.length > 0 && ' · ' + t('insights.emotion.' + emotions[0][0])}
        </span>
      )}
      {(nlu.entities ?? []).map((e) => (
        <span key={e.start + ':' + e.type} className="chip entity" title={t('insights.entity.' + e.type)}>
          {t('insights.entity.' + e.type)}: {e.normalized || e.text}
        </span>
      ))}
      {(nlu.pii ?? []).length > 0 && (
        <span className="chip pii" data-testid="insight-pii" title={t('insights.piiHint')}>
          {t('insights.pii', { count: nlu.pii!.length })}
        </span>
      )}
    </div>
  );
}
