/** Search by case reference or by account number (nine digits). */
import { Button, Caption1, Field, Input, Link, MessageBar, MessageBarBody, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, makeStyles } from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import { ApiError, type Api } from '../api.js';
import { ScrollBox, Token } from './ScrollBox.js';
import { formatTime, handledBy, standingInWords } from '../format.js';
import type { CaseSummary } from '../../../bot/platform/contract/tabApi.js';

const useStyles = makeStyles({
  form: { display: 'flex', gap: '8px', alignItems: 'flex-end' },
  field: { flexGrow: 1 },
});

/** The search box and its results. */
export function SearchPanel(props: { api: Api; onOpen: (ref: string) => void; /** A new search: the desk clears its earlier status message. */ onSearch?: () => void }) {
  const styles = useStyles();
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<CaseSummary[]>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const search = async (e: FormEvent) => {
    e.preventDefault();
    props.onSearch?.();
    const q = query.trim();
    if (!q) return;
    const digits = q.replace(/[\s-]/g, '');
    setBusy(true);
    setError(undefined);
    try {
      const found = await props.api.search(/^\d+$/.test(digits) ? { account: digits } : { reference: q });
      setResults(found.results);
    } catch (err) {
      // Not a reference and not digits (a name, say): say what the search can find.
      const notAReference = err instanceof ApiError && (err.body.problems as { field?: string }[] | undefined)?.some((p) => p.field === 'reference');
      setError(notAReference ? `“${q}” is not a case reference or an account number. Search by a case reference (six letters and digits, like K7M-3PQ) or a 9-digit account number; names cannot be searched.` : (err as Error).message);
      setResults(undefined);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-label="Search">
      <form className={styles.form} onSubmit={(e) => void search(e)} role="search">
        <Field className={styles.field} label="Find a case by reference or account number">
          <Input value={query} onChange={(_, d) => setQuery(d.value)} placeholder="K7M-3PQ or 501234567" />
        </Field>
        <Button type="submit" disabled={busy || !query.trim()}>
          Search
        </Button>
      </form>
      {error && (
        <MessageBar intent="error" role="alert">
          <MessageBarBody>{error}</MessageBarBody>
        </MessageBar>
      )}
      {results && results.length === 0 && <Caption1 role="status">No case found.</Caption1>}
      {results && results.length > 0 && (
        <ScrollBox label="Search results table">
        <Table size="small" aria-label="Search results">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Reference</TableHeaderCell>
              <TableHeaderCell>Category</TableHeaderCell>
              <TableHeaderCell>State</TableHeaderCell>
              <TableHeaderCell>Opened</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {results.map((r, i) =>
              r.restricted ? (
                <TableRow key={`restricted-${i}`}>
                  <TableCell colSpan={4}>{r.label}</TableCell>
                </TableRow>
              ) : (
              <TableRow key={r.reference}>
                <TableCell>
                  <Token>{r.canOpen ? <Link onClick={() => props.onOpen(r.reference)}>{r.displayReference}</Link> : r.displayReference}</Token>
                </TableCell>
                <TableCell>{r.categoryName}</TableCell>
                <TableCell>
                  {standingInWords(r)}
                  {handledBy(r) ? ` · ${r.state === 'waiting' ? `earlier with ${handledBy(r)}` : handledBy(r)}` : ''}
                </TableCell>
                <TableCell>{formatTime(r.createdAt)}</TableCell>
              </TableRow>
              ),
            )}
          </TableBody>
        </Table>
        </ScrollBox>
      )}
    </section>
  );
}
