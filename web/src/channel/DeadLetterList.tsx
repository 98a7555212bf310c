// Supervisors' list of dead letters: every reply a provider refused for good, with the
// provider's reason, a link to its conversation and a retry.

import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { DeadLetter } from '../api/types';
import { Dialog } from '../app/Dialog';
import { formatTime } from '../lib/format';

interface Props {
  onOpenConversation: (id: number) => void;
  onClose: () => void;
}

export function DeadLetterList({ onOpenConversation, onClose }: Props) {
  const { t, i18n } = useTranslation();
  const [items, setItems] = useState<DeadLetter[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    api.deadLetters().then(
      (page) => setItems(page.items),
      (e: Error) => setError(e.message),
    );
  }, []);
  useEffect(load, [load]);

  return (
    <Dialog
      id="dead-letters-title"
      title={t('deadLetters.title')}
      className="dead-letters"
      testId="dead-letters"
      onClose={onClose}
    >
      {error && <div className="error">{t('deadLetters.loadError', { message: error })}</div>}
      {items === null && !error && <p className="muted">{t('app.loading')}</p>}
      {items !== null && items.length === 0 && <p className="muted">{t('deadLetters.empty')}</p>}
      {items !== null && items.length > 0 && (
        <table className="dead-letter-table">
          <tbody>
            {items.map((d) => (
              <tr key={d.id} data-testid="dead-letter">
                <td>
                  <button className="link" onClick={() => onOpenConversation(d.conversation_id)}>
                    {d.contact.name || t('conversation.customer')}
                  </button>
                  <div className="muted small">
                    {d.inbox.name} · {formatTime(d.created_at, i18n.language)}
                  </div>
                </td>
                <td className="dead-letter-text">{d.text}</td>
                <td className="error small">{d.last_error}</td>
                <td>
                  <button
                    onClick={() =>
                      api.retryDeadLetter(d.id).then(
                        () => setItems((list) => (list ?? []).filter((x) => x.id !== d.id)),
                        (e: Error) => setError(e.message),
                      )
                    }
                  >
                    {t('delivery.retry')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Dialog>
  );
}
