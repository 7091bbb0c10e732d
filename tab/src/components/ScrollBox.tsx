/**
 * Phone widths (a Teams tab on a 360 px phone): a table wider than the screen scrolls inside its
 * own box instead of widening the page, and its columns take the width their words need (Fluent's
 * tables are `table-layout: fixed`, which squeezes columns until one header runs over the next).
 */
import { makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';

const useStyles = makeStyles({
  box: {
    overflowX: 'auto',
    maxWidth: '100%',
    '& > table': { tableLayout: 'auto' },
    ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}` },
  },
  /** A case reference (K7M-3PQ) or an account, ID or meter number: never broken across lines. */
  token: { whiteSpace: 'nowrap' },
});

/**
 * Holds one table. `label` names the scrolling region for a screen reader; it is focusable so a
 * keyboard user can scroll it (WCAG 2.1.1, axe's scrollable-region-focusable). `className`: more
 * of the box's style (a height it scrolls within, for one).
 */
export function ScrollBox(props: { label: string; children: ReactNode; className?: string }) {
  const styles = useStyles();
  return (
    <div className={mergeClasses(styles.box, props.className)} role="region" aria-label={props.label} tabIndex={0}>
      {props.children}
    </div>
  );
}

/** A case reference or an account, ID or meter number, kept on one line. */
export function Token(props: { children: ReactNode; className?: string }) {
  const styles = useStyles();
  return <span className={props.className ? `${styles.token} ${props.className}` : styles.token}>{props.children}</span>;
}
