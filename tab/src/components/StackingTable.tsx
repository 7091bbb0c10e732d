/**
 * A table of figures that a phone can read whole (tester 9, finding 5: at 320 px the supervisor's
 * per-category table showed "Category / Waiting / Longest wait / Wit…" and its box scrolled
 * sideways with nothing on screen to say so). Where its box is wide enough it is an ordinary
 * table, as before; below `stackBelow` CSS px each row becomes a block: the row's name as its
 * heading, then one "label value" line per column, every value on screen without scrolling.
 *
 * Either way it stays a table to a screen reader: the elements carry their roles (table, row,
 * columnheader, cell) because a browser may drop a table's semantics once its parts are laid out
 * as blocks; the header row is kept, out of sight, so each cell is still announced with its column;
 * the labels drawn beside the stacked values are hidden from screen readers, which already have
 * the header.
 */
import { makeStyles, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { ScrollBox } from './ScrollBox.js';
import { useWidth } from './useWidth.js';

const useStyles = makeStyles({
  /** A column's label beside a stacked value: not drawn while the table is a table. */
  label: { display: 'none' },
  stacked: {
    '& table, & tbody, & tr': { display: 'block', width: 'auto' },
    // The header row stays for screen readers (each cell announced with its column), out of sight.
    '& thead': { position: 'absolute', width: '1px', height: '1px', overflow: 'hidden', clip: 'rect(0 0 0 0)', whiteSpace: 'nowrap' },
    '& thead th': { width: 'max-content' },
    '& tbody tr': { padding: '8px 0', borderBottom: `1px solid ${tokens.colorNeutralStroke2}` },
    '& td': { display: 'flex', gap: '8px', alignItems: 'baseline', height: 'auto', minHeight: 0, padding: '2px 0' },
    // The row's name is its heading, on a line of its own, without a label.
    '& td:first-child': { fontWeight: tokens.fontWeightSemibold, padding: '0 0 4px' },
    '& [data-cell-label]': { display: 'inline', flex: '0 0 50%', color: tokens.colorNeutralForeground2 },
  },
});

/** One row: its key, and a cell per column, the first naming the row. */
export interface StackingRow {
  key: string;
  cells: { value: ReactNode; className?: string }[];
}

/**
 * The table. `label`: its accessible name; `boxLabel`: the name of the scrolling box it sits in
 * while it is a table (ScrollBox); `columns`: the header texts, the first being the rows' names;
 * `stackBelow`: the box width (CSS px) under which the rows are stacked, about the width the table
 * needs with its columns side by side.
 */
export function StackingTable(props: { label: string; boxLabel: string; columns: readonly string[]; rows: readonly StackingRow[]; stackBelow: number }) {
  const styles = useStyles();
  const [box, width] = useWidth<HTMLDivElement>();
  // Unmeasured (0: the first paint), a table; the box's width does not depend on the layout chosen.
  const stacked = width > 0 && width < props.stackBelow;
  return (
    <div ref={box} className={stacked ? styles.stacked : undefined} data-layout={stacked ? 'stacked' : 'table'}>
      <ScrollBox label={props.boxLabel}>
        <Table aria-label={props.label} size="small" role="table">
          <TableHeader role="rowgroup">
            <TableRow role="row">
              {props.columns.map((h) => (
                <TableHeaderCell key={h} role="columnheader">
                  {h}
                </TableHeaderCell>
              ))}
            </TableRow>
          </TableHeader>
          <TableBody role="rowgroup">
            {props.rows.map((r) => (
              <TableRow key={r.key} role="row">
                {r.cells.map((c, i) => (
                  <TableCell key={props.columns[i] ?? i} role="cell" className={c.className}>
                    {i > 0 && (
                      <span data-cell-label="" aria-hidden="true" className={styles.label}>
                        {props.columns[i]}
                      </span>
                    )}
                    <span>{c.value}</span>
                  </TableCell>
                ))}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </ScrollBox>
    </div>
  );
}
