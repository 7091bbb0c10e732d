/**
 * Adaptive Cards in the page: Web Chat's minimal bundle has no card renderer, so a card is
 * rendered with the `adaptivecards` SDK (loaded when the first card arrives, not before the
 * first message). Card text is plain text: the bot's Markdown escapes are undone and the rest is
 * HTML-escaped, so what anyone typed can never become markup. A submit goes back as Web Chat's
 * post-back (a message with `value`, not shown as a bubble), as Teams sends an Action.Submit.
 */
import { useEffect, useRef, useState } from 'react';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** One card; `submit` posts an action's data with the inputs' values. */
export function AdaptiveCardView(props: { content: Record<string, unknown>; submit: (value: Record<string, unknown>) => void; fallback: string }) {
  const host = useRef<HTMLDivElement>(null);
  const submit = useRef(props.submit);
  submit.current = props.submit;
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let cancelled = false;
    void import('adaptivecards')
      .then((AC) => {
        if (cancelled || !host.current) return;
        AC.AdaptiveCard.onProcessMarkdown = (text, result) => {
          result.outputHtml = escapeHtml(text.replace(/\\([\\`*_{}[\]()#+\-.!>|~])/g, '$1'));
          result.didProcess = true;
        };
        const card = new AC.AdaptiveCard();
        card.onExecuteAction = (action) => {
          if (action instanceof AC.SubmitAction || action instanceof AC.ExecuteAction) {
            const data = action.data;
            submit.current(data && typeof data === 'object' ? { ...(data as Record<string, unknown>) } : {});
          }
        };
        card.parse(props.content);
        const element = card.render();
        if (!element) throw new Error('nothing rendered');
        host.current.replaceChildren(element);
      })
      .catch(() => !cancelled && setFailed(true));
    return () => {
      cancelled = true;
    };
  }, [props.content]);

  if (failed) return <p>{props.fallback}</p>;
  return <div ref={host} className="card" />;
}
