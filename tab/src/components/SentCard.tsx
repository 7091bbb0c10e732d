/**
 * An Adaptive Card the bot sent the ratepayer, shown on the case page as they saw it. The
 * renderer is loaded only when a transcript has a card, so the queue view stays small; the card
 * is inert here (its buttons and inputs were for the ratepayer).
 */
import { Caption1 } from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Renders one card, read-only; falls back to the text the ratepayer's client would show. */
export function SentCard(props: { card: Record<string, unknown>; fallback: string }) {
  const host = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let cancelled = false;
    void import('adaptivecards')
      .then((AC) => {
        if (cancelled || !host.current) return;
        const card = new AC.AdaptiveCard();
        // Teams shows the card's Markdown; here its escapes are undone and the rest stays plain,
        // HTML-escaped text: what the ratepayer typed can never become markup in the tab.
        AC.AdaptiveCard.onProcessMarkdown = (text, result) => {
          result.outputHtml = escapeHtml(text.replace(/\\([\\`*_{}[\]()#+\-.!>|~])/g, '$1'));
          result.didProcess = true;
        };
        card.parse(props.card);
        const element = card.render();
        if (!element) throw new Error('nothing rendered');
        element.setAttribute('inert', '');
        host.current.replaceChildren(element);
      })
      .catch(() => !cancelled && setFailed(true));
    return () => {
      cancelled = true;
    };
  }, [props.card]);

  if (failed) return <Caption1 block>{props.fallback}</Caption1>;
  return <div ref={host} role="group" aria-label="Card sent to the ratepayer" data-testid="sent-card" />;
}
