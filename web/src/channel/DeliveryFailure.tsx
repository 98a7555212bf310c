// A reply the provider did not take for good (a dead letter, CH7): the provider's reason on the
// message itself, and a retry that puts it back in the outbox (POST /dead-letters/{id}/retry).

import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { Message } from '../api/types';

export function DeliveryFailure({ message, onRetried }: { message: Message; onRetried: (m: Message) => void }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (message.status !== 'failed') return null;
  const deadLetter = message.dead_letter_id;
  return (
    <span className="delivery-failure" data-testid="delivery-failure">
      {' '}
      · <span className="error" title={message.error}>
        ✕ {message.error ? t('delivery.failedWith', { message: message.error }) : t('delivery.failed')}
      </span>
      {deadLetter !== undefined && (
        <>
          {' '}
          <button
            className="link"
            disabled={busy}
            data-testid="retry-delivery"
            onClick={() => {
              setBusy(true);
              setError(null);
              api.retryDeadLetter(deadLetter).then(
                (m) => {
                  setBusy(false);
                  onRetried(m);
                },
                (e: Error) => {
                  setBusy(false);
                  setError(e.message);
                },
              );
            }}
          >
            {t('delivery.retry')}
          </button>
        </>
      )}
      {error && <span className="error"> {t('delivery.retryFailed', { message: error })}</span>}
    </span>
  );
}
