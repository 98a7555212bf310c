import { useTranslation } from 'react-i18next';
import type { Conversation } from '../api/types';
import { formatAge, initials } from '../lib/format';
import type { ConversationListState } from './useConversationList';
import { VirtualList } from './VirtualList';

const ROW_HEIGHT = 68;

interface Props {
  list: ConversationListState;
  selectedId: number | null;
  onSelect: (id: number) => void;
}

export function ConversationList({ list, selectedId, onSelect }: Props) {
  const { t, i18n } = useTranslation();
  const activeIndex = selectedId === null ? -1 : list.items.findIndex((c) => c.id === selectedId);

  if (list.loading && list.items.length === 0) return <div className="list-state">{t('list.loading')}</div>;
  if (list.error && list.items.length === 0)
    return (
      <div className="list-state error" role="alert">
        {t('list.loadError', { message: list.error })}{' '}
        <button onClick={list.reload}>{t('list.retry')}</button>
      </div>
    );
  if (list.items.length === 0)
    return (
      <div className="list-state" data-testid="conversation-list-empty">
        {t('list.empty')}
      </div>
    );

  const renderRow = (c: Conversation) => {
    const unread = c.unread_count > 0;
    const preview = c.last_message
      ? (c.last_message.direction === 'out' ? t('list.you') : '') + c.last_message.text
      : t('list.noMessages');
    return (
      <div
        role="option"
        aria-selected={c.id === selectedId}
        className={'conv-row' + (c.id === selectedId ? ' selected' : '') + (unread ? ' unread' : '')}
        onClick={() => onSelect(c.id)}
        data-testid="conversation-row"
        data-conversation-id={c.id}
        data-unread={c.unread_count}
      >
        <div className="avatar" aria-hidden="true">
          {initials(c.contact.name)}
        </div>
        <div className="conv-main">
          <div className="conv-top">
            <span className="conv-name">{c.contact.name}</span>
            <span className="conv-age">{formatAge(c.last_activity_at, i18n.language)}</span>
          </div>
          <div className="conv-bottom">
            <span className="conv-preview" data-testid="conversation-preview">
              {preview}
            </span>
            {unread && (
              <span className="badge" data-testid="unread-badge" aria-label={t('list.unreadBadge', { count: c.unread_count })}>
                {c.unread_count > 99 ? '99+' : c.unread_count}
              </span>
            )}
          </div>
          <div className="conv-meta">
            <span className={'chip channel-' + c.inbox.channel}>{t('channel.' + c.inbox.channel, { defaultValue: c.inbox.name })}</span>
            <span className={'chip status-' + c.status}>{t('status.' + c.status)}</span>
            {c.assignee && <span className="conv-assignee">{c.assignee.name}</span>}
          </div>
        </div>
      </div>
    );
  };

  return (
    <VirtualList
      items={list.items}
      rowHeight={ROW_HEIGHT}
      itemKey={(c) => c.id}
      renderRow={renderRow}
      activeIndex={activeIndex}
      onEndReached={list.hasMore ? list.loadMore : undefined}
      label={t('list.label')}
      testId="conversation-list"
      footer={list.loadingMore ? <div className="list-more">{t('list.loadingMore')}</div> : null}
    />
  );
}
