import { diffLines, type DiffLine } from '../../diff';

const CONTEXT = 2;

type Row = DiffLine | { kind: 'skip'; count: number };

/** Unchanged runs longer than the context around a change fold into one "N unchanged lines" row. */
function fold(lines: DiffLine[]): Row[] {
  const keep = lines.map((l, i) => l.kind !== 'same' || lines.slice(Math.max(0, i - CONTEXT), i + CONTEXT + 1).some((n) => n.kind !== 'same'));
  const rows: Row[] = [];
  lines.forEach((line, i) => {
    if (keep[i]) return void rows.push(line);
    const last = rows.at(-1);
    if (last?.kind === 'skip') last.count++;
    else rows.push({ kind: 'skip', count: 1 });
  });
  return rows;
}

const SIGN = { same: ' ', added: '+', removed: '−' };

export function LineDiff({ before, after }: { before: string; after: string }) {
  const lines = diffLines(before, after);
  if (lines.every((l) => l.kind === 'same')) return <p className="muted">No differences.</p>;
  return (
    <pre className="diff" aria-label="Line differences: lines starting with + are added, with − removed">
      {fold(lines).map((row, i) =>
        row.kind === 'skip' ? (
          <span key={i} className="diff-skip">
            ⋯ {row.count} unchanged line{row.count === 1 ? '' : 's'}
            {'\n'}
          </span>
        ) : (
          <span key={i} className={`diff-${row.kind}`}>
            {SIGN[row.kind]} {row.text}
            {'\n'}
          </span>
        ),
      )}
    </pre>
  );
}
