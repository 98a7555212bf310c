import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { scrollToReveal, visibleRange } from './virtual';

interface Props<T> {
  items: T[];
  rowHeight: number;
  itemKey: (item: T) => string | number;
  renderRow: (item: T, index: number) => ReactNode;
  /** Index to keep in view (the keyboard selection). */
  activeIndex: number;
  /** Called when the viewport comes within a few rows of the end. */
  onEndReached?: () => void;
  footer?: ReactNode;
  label: string;
  testId?: string;
}

export function VirtualList<T>(props: Props<T>) {
  const { items, rowHeight, activeIndex, onEndReached } = props;
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setHeight(el.clientHeight);
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    const el = ref.current;
    if (!el || activeIndex < 0) return;
    const target = scrollToReveal(activeIndex, el.scrollTop, el.clientHeight, rowHeight);
    if (target !== null) el.scrollTop = target;
  }, [activeIndex, rowHeight]);

  const range = visibleRange(scrollTop, height, rowHeight, items.length);

  useEffect(() => {
    if (onEndReached && items.length > 0 && range.end >= items.length - 5) onEndReached();
  }, [range.end, items.length, onEndReached]);

  const rows: ReactNode[] = [];
  for (let i = range.start; i < range.end; i++) {
    const item = items[i];
    rows.push(
      <div key={props.itemKey(item)} className="vrow" style={{ transform: `translateY(${i * rowHeight}px)`, height: rowHeight }}>
        {props.renderRow(item, i)}
      </div>,
    );
  }

  return (
    <div
      ref={ref}
      className="vlist"
      role="listbox"
      aria-label={props.label}
      data-testid={props.testId}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
    >
      <div className="vlist-inner" style={{ height: items.length * rowHeight }}>
        {rows}
      </div>
      {props.footer}
    </div>
  );
}
