import { useEffect, useRef, useState, type RefObject } from 'react';

/**
 * The width (CSS px) of an element, kept up to date as it resizes (0 until measured): the
 * supervisor view's charts and tables lay themselves out for the width they get, a phone's 320 px
 * or a wide screen's 1400.
 */
export function useWidth<T extends HTMLElement>(): [RefObject<T | null>, number] {
  const ref = useRef<T | null>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(el.getBoundingClientRect().width);
    const observer = new ResizeObserver((entries) => setWidth(entries[0]?.contentRect.width ?? 0));
    observer.observe(el);
    return () => observer.disconnect();
  });
  return [ref, width];
}
