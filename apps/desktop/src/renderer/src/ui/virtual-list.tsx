/**
 * A virtualised listbox: only the rows in view (plus a few) are in the DOM, so thousands of search
 * results scroll smoothly. Rows have a fixed height. The active row is driven from outside (the
 * search box keeps focus and moves it with the arrow keys, combobox style) and scrolled into view.
 */
import { type ReactNode, useEffect, useRef, useState } from 'react';

const OVERSCAN = 6;

export interface VirtualListProps<T> {
  readonly id: string;
  readonly items: readonly T[];
  readonly rowHeight: number;
  /** Height of the scrolling area in pixels. */
  readonly height: number;
  readonly activeIndex: number;
  readonly label: string;
  readonly itemKey: (item: T) => string;
  readonly renderRow: (item: T, index: number, active: boolean) => ReactNode;
  readonly onPick: (item: T, index: number) => void;
}

/** The id of row `index` of list `listId` (for aria-activedescendant). */
export function optionId(listId: string, index: number): string {
  return `${listId}-option-${index}`;
}

/** The list. */
export function VirtualList<T>(props: VirtualListProps<T>) {
  const { items, rowHeight, height, activeIndex } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);

  useEffect(() => {
    const element = scroller.current;
    if (element === null || activeIndex < 0) return;
    const top = activeIndex * rowHeight;
    if (top < element.scrollTop) element.scrollTop = top;
    else if (top + rowHeight > element.scrollTop + height) element.scrollTop = top + rowHeight - height;
  }, [activeIndex, rowHeight, height]);

  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - OVERSCAN);
  const last = Math.min(items.length, Math.ceil((scrollTop + height) / rowHeight) + OVERSCAN);
  const visible = items.slice(first, last);

  return (
    <div
      ref={scroller}
      className="virtual-list"
      style={{ height, overflowY: 'auto' }}
      onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
    >
      <div
        id={props.id}
        role="listbox"
        aria-label={props.label}
        tabIndex={-1}
        style={{ height: items.length * rowHeight, position: 'relative' }}
      >
        {visible.map((item, offset) => {
          const index = first + offset;
          const active = index === activeIndex;
          return (
            <div
              key={props.itemKey(item)}
              id={optionId(props.id, index)}
              role="option"
              aria-selected={active}
              aria-setsize={items.length}
              aria-posinset={index + 1}
              tabIndex={-1}
              className={active ? 'virtual-row active' : 'virtual-row'}
              style={{ position: 'absolute', top: index * rowHeight, height: rowHeight, left: 0, right: 0 }}
              onClick={() => props.onPick(item, index)}
              onKeyDown={(event) => {
                if (event.key === 'Enter') props.onPick(item, index);
              }}
            >
              {props.renderRow(item, index, active)}
            </div>
          );
        })}
      </div>
    </div>
  );
}
