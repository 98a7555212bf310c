// A modal dialog over the workspace: closes on the backdrop, its close button (focused when it
// opens, so Enter or Escape-then-Enter closes it) and through `onClose`.

import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

interface Props {
  id: string;
  title: string;
  className?: string;
  testId: string;
  onClose: () => void;
  children: ReactNode;
}

export function Dialog({ id, title, className, testId, onClose, children }: Props) {
  const { t } = useTranslation();
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => closeRef.current?.focus(), []);
  return (
    <div className="overlay" onClick={onClose}>
      <div
        className={'dialog' + (className ? ' ' + className : '')}
        role="dialog"
        aria-modal="true"
        aria-labelledby={id}
        onClick={(e) => e.stopPropagation()}
        data-testid={testId}
      >
        <h2 id={id}>{title}</h2>
        {children}
        <button ref={closeRef} className="primary" onClick={onClose}>
          {t('shortcuts.close')}
        </button>
      </div>
    </div>
  );
}
